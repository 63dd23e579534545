#!/usr/bin/env bash
# Print the path of a Python that Rasa 3.6 runs on (3.10, else 3.9, else 3.8):
# first on PATH, then under pyenv. Exit 1 with advice when there is none.
set -u

supported() {  # $1: interpreter; true when it is CPython 3.8-3.10 with venv
  "$1" -c 'import sys, venv; sys.exit(0 if (3, 8) <= sys.version_info[:2] <= (3, 10) else 1)' >/dev/null 2>&1
}

for minor in 10 9 8; do
  if command -v "python3.$minor" >/dev/null 2>&1 && supported "python3.$minor"; then
    command -v "python3.$minor"; exit 0
  fi
done
if command -v python3 >/dev/null 2>&1 && supported python3; then
  command -v python3; exit 0
fi

pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
for minor in 10 9 8; do
  for candidate in $(ls -d "$pyenv_root"/versions/3."$minor".*/bin/python3."$minor" 2>/dev/null | sort -V -r); do
    if supported "$candidate"; then echo "$candidate"; exit 0; fi
  done
done

cat >&2 <<'MSG'
No Python 3.8-3.10 found. Rasa Open Source 3.6 does not run on newer Pythons.
Install Python 3.10, for example:
  pyenv install 3.10.13            (it is then found under ~/.pyenv/versions/)
  or: sudo apt-get install python3.10 python3.10-venv
and run this command again.
MSG
exit 1
