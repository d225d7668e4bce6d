#!/usr/bin/env bash
# Removes what install.sh installed for the agent or the collector: stops and disables the unit,
# removes it and the program. The configuration in /etc/vigia/ and the user stay unless --purge.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: uninstall.sh --agent|--collector [--prefix DIR] [--root DIR] [--purge]

  --agent, --collector   what to remove
  --prefix DIR           where install.sh put the program (default: /opt/vigia)
  --root DIR             the scratch root install.sh installed into (default: /)
  --purge                also remove /etc/vigia/COMPONENT.conf, and the user 'vigia' once
                         neither the agent nor the collector is left
  -h, --help             show this help
USAGE
}

fail() {
  echo "uninstall.sh: $*" >&2
  exit 2
}
say() { echo "uninstall.sh: $*"; }

component=""
prefix=/opt/vigia
root=/
purge=no
while [ $# -gt 0 ]; do
  case "$1" in
    --agent | --collector)
      [ -z "$component" ] || fail "give one of --agent and --collector, not both"
      component=${1#--}
      ;;
    --prefix)
      [ $# -ge 2 ] || fail "--prefix needs a directory"
      prefix=$2
      shift
      ;;
    --prefix=*) prefix=${1#*=} ;;
    --root)
      [ $# -ge 2 ] || fail "--root needs a directory"
      root=$2
      shift
      ;;
    --root=*) root=${1#*=} ;;
    --purge) purge=yes ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) fail "unknown argument '$1'; see uninstall.sh --help" ;;
  esac
  shift
done
[ -n "$component" ] || fail "say what to remove: --agent or --collector (see --help)"
case "$prefix" in /*) ;; *) fail "--prefix must be an absolute path, not '$prefix'" ;; esac
case "$root" in /*) ;; *) root="$(pwd)/$root" ;; esac
R=${root%/}
if [ -z "$R" ] && [ "$(id -u)" -ne 0 ]; then
  fail "removing from /etc needs root: run it with sudo, or give --root DIR"
fi

unit="vigia-$component.service"
if [ -z "$R" ] && [ -d /run/systemd/system ] && [ -e "/etc/systemd/system/$unit" ]; then
  systemctl disable --now "$unit" || true
fi
rm -f "$R/etc/systemd/system/multi-user.target.wants/$unit" "$R/etc/systemd/system/$unit"
rmdir "$R/etc/systemd/system/multi-user.target.wants" 2>/dev/null || true
if [ -z "$R" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
fi
say "removed $unit"

dest="$R$prefix"
rm -f "$dest/bin/vigia-$component" "$dest/lib/vigia-$component.jar"
rm -f "$dest/lib/vigia-$component.classlist" "$dest/lib/vigia-$component.jsa"
if [ "$component" = collector ]; then
  rm -f "$dest/bin/vigia"
fi
# The shared files go with the last component.
if ! ls "$dest"/lib/vigia-*.jar >/dev/null 2>&1; then
  rm -f "$dest/README.md" "$dest/LICENSE"
  rmdir "$dest/bin" "$dest/lib" "$dest" 2>/dev/null || true
fi
say "removed vigia-$component from $dest"

if [ "$purge" = yes ]; then
  rm -f "$R/etc/vigia/$component.conf"
  rmdir "$R/etc/vigia" 2>/dev/null || true
  say "removed $R/etc/vigia/$component.conf"
  if [ -z "$R" ] && id vigia >/dev/null 2>&1 && ! ls /etc/systemd/system/vigia-*.service >/dev/null 2>&1; then
    userdel vigia
    say "removed the user 'vigia'"
  fi
else
  say "kept $R/etc/vigia/$component.conf (remove it with --purge)"
fi
