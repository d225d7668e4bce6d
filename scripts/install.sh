#!/usr/bin/env bash
# Installs the Vigia agent or collector on this machine from a distribution archive
# (vigia-VERSION.tar.gz, built by `mvn package`): the program under --prefix, a commented
# configuration in /etc/vigia/, the systemd unit, and the unprivileged user `vigia`. Running it
# again upgrades the program and keeps the configuration. Undo with uninstall.sh.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: install.sh --agent|--collector [--prefix DIR] [--root DIR]

  --agent        install vigia-agent (samples this machine, pushes to a collector)
  --collector    install vigia-collector and the vigia command
  --prefix DIR   where the program goes (default: /opt/vigia)
  --root DIR     install into the system image under DIR instead of / (for images and tests):
                 no user is created and nothing is started there; the unit is enabled for
                 DIR's next boot
  -h, --help     show this help

Run it from an unpacked vigia-VERSION.tar.gz, or from a checkout after `mvn -q package`.
USAGE
}

fail() {
  echo "install.sh: $*" >&2
  exit 2
}
say() { echo "install.sh: $*"; }

component=""
prefix=/opt/vigia
root=/
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
    -h | --help)
      usage
      exit 0
      ;;
    *) fail "unknown argument '$1'; see install.sh --help" ;;
  esac
  shift
done
[ -n "$component" ] || fail "say what to install: --agent or --collector (see --help)"
case "$prefix" in /*) ;; *) fail "--prefix must be an absolute path, not '$prefix'" ;; esac
case "$root" in /*) ;; *) root="$(pwd)/$root" ;; esac
R=${root%/}
if [ -z "$R" ] && [ "$(id -u)" -ne 0 ]; then
  fail "writing /etc/vigia and /etc/systemd/system needs root: run it with sudo, or give --root DIR to install into a scratch root"
fi

# The distribution: this script's folder when it is an unpacked archive, else a checkout's build.
here=$(cd "$(dirname "$0")" && pwd)
if [ -f "$here/lib/vigia-$component.jar" ]; then
  dist=$here
else
  archive=$(ls "$here"/../dist/target/vigia-*.tar.gz 2>/dev/null | head -n 1 || true)
  [ -n "$archive" ] || fail "no distribution next to this script and no $here/../dist/target/vigia-*.tar.gz; build it with 'mvn -q package -DskipTests'"
  unpacked=$(mktemp -d)
  trap 'rm -rf "$unpacked"' EXIT
  tar -xzf "$archive" -C "$unpacked"
  dist=$(echo "$unpacked"/vigia-*)
fi
[ -f "$dist/lib/vigia-$component.jar" ] || fail "$dist has no lib/vigia-$component.jar"

dest="$R$prefix"
install -d -m 0755 "$dest/bin" "$dest/lib"
install -m 0644 "$dist/lib/vigia-$component.jar" "$dest/lib/"
install -m 0755 "$dist/bin/vigia-$component" "$dest/bin/"
if [ "$component" = collector ]; then
  install -m 0755 "$dist/bin/vigia" "$dest/bin/"
fi
install -m 0644 "$dist/README.md" "$dist/LICENSE" "$dest/"
say "installed vigia-$component in $dest"

# The agent's class data sharing archive (smaller and faster to start, see scripts/vigia-agent),
# made for this machine's Java from the shipped class list. Not in a scratch root: the archive
# records the jar's path, which differs there from the path at that system's boot.
if [ "$component" = agent ] && [ -f "$dist/lib/vigia-agent.classlist" ]; then
  install -m 0644 "$dist/lib/vigia-agent.classlist" "$dest/lib/"
  rm -f "$dest/lib/vigia-agent.jsa"
  if [ -n "$R" ]; then
    say "not making the class data sharing archive in the scratch root; on that system run: $prefix/bin/vigia-agent --make-cds-archive"
  elif command -v java >/dev/null && "$dest/bin/vigia-agent" --make-cds-archive >/dev/null 2>&1; then
    chmod 0644 "$dest/lib/vigia-agent.jsa"
    say "made the class data sharing archive $dest/lib/vigia-agent.jsa"
  else
    rm -f "$dest/lib/vigia-agent.jsa"
    say "could not make the class data sharing archive (is Java 17 installed?); the agent runs without it"
  fi
fi

# The operator's configuration survives upgrades; only a missing one is written.
conf="$R/etc/vigia/$component.conf"
install -d -m 0755 "$R/etc/vigia"
if [ -e "$conf" ]; then
  say "kept the configuration in $conf"
else
  install -m 0644 "$dist/conf/$component.conf" "$conf"
  say "wrote a commented configuration to $conf"
fi

unit="vigia-$component.service"
install -d -m 0755 "$R/etc/systemd/system"
sed "s#/opt/vigia#$prefix#g" "$dist/systemd/$unit" >"$R/etc/systemd/system/$unit.new"
chmod 0644 "$R/etc/systemd/system/$unit.new"
mv -f "$R/etc/systemd/system/$unit.new" "$R/etc/systemd/system/$unit"
say "installed the unit $R/etc/systemd/system/$unit"

if [ -n "$R" ]; then
  say "not creating the user 'vigia' in the scratch root $root; create it there with: useradd --system --user-group --no-create-home --shell /usr/sbin/nologin vigia"
elif id vigia >/dev/null 2>&1; then
  say "the user 'vigia' exists"
else
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin --comment "Vigia monitoring" vigia
  say "created the user 'vigia'"
fi

if [ -n "$R" ]; then
  # The link `systemctl enable` makes, so the unit starts at the root's next boot.
  install -d -m 0755 "$R/etc/systemd/system/multi-user.target.wants"
  ln -sfn "/etc/systemd/system/$unit" "$R/etc/systemd/system/multi-user.target.wants/$unit"
  say "enabled $unit in $root (it starts at that system's next boot)"
elif [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable "$unit"
  systemctl restart "$unit"
  say "enabled and started $unit; see it with: systemctl status $unit; journalctl -u $unit"
else
  say "systemd is not running here, so $unit is installed but not enabled; start the $component by hand: $prefix/bin/vigia-$component --config /etc/vigia/$component.conf"
fi
