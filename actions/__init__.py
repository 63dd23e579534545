"""The action server package: one module per concern.

crisis_support  action_crisis_support (regional lines, "are you safe right now?")
crisis_lines    the crisis line data (crisis_lines.yml) and region lookup
topics          the topic catalogue read from data/ (titles for buttons)
navigation      "tell me more" and the "did you mean" step of the fallback
"""
