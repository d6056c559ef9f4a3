# Puts Node 24 first on PATH for the current shell, for running `node` and `npx` by hand. The npm scripts do
# not need it: they run on Node 24 by themselves (scripts/node24.mjs, which also fetches Node 24 from the npm
# registry into .cache/ the first time, and knows the version).
#
#   source scripts/use-node-24.sh
#
# Sourced, not executed: it changes the caller's PATH, so it must not `exit` or `set -e`.

_node24_bin="$(node "$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd)/node24.mjs" --print-bin-dir)"
if [ -n "${_node24_bin}" ] && [ -x "${_node24_bin}/node" ]; then
  case ":${PATH}:" in
    *":${_node24_bin}:"*) ;;
    *) export PATH="${_node24_bin}:${PATH}" ;;
  esac
  # This Node trusts only its bundled CAs, unlike a distribution's Node: let it trust the OS's too
  # (a proxy or company CA the machine trusts), unless the caller chose a bundle already.
  if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
    export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
  fi
  echo "Using Node $(node --version) from ${_node24_bin}"
else
  echo "No Node 24: install it from https://nodejs.org (or: nvm install)" >&2
fi
unset _node24_bin
