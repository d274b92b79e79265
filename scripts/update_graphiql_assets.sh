#!/usr/bin/env bash
# Re-vendor GraphiQL's browser assets into coinstack_graphql/http/static/ from the npm
# registry. Bump the versions here, run it, then copy the printed sums into LICENSES.md
# and the versions into coinstack_graphql/http/graphiql.py (they bust browser caches).
set -euo pipefail

GRAPHIQL_VERSION=3.8.3
REACT_VERSION=18.3.1

here="$(cd "$(dirname "$0")/.." && pwd)"
static="$here/coinstack_graphql/http/static"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "graphiql@$GRAPHIQL_VERSION" "react@$REACT_VERSION" "react-dom@$REACT_VERSION" >/dev/null
for archive in "graphiql-$GRAPHIQL_VERSION" "react-$REACT_VERSION" "react-dom-$REACT_VERSION"; do
  name="${archive%-*}"
  mkdir "$name"
  tar -xzf "$archive.tgz" -C "$name"
done

cp graphiql/package/graphiql.min.js graphiql/package/graphiql.min.css "$static/"
cp react/package/umd/react.production.min.js "$static/"
cp react-dom/package/umd/react-dom.production.min.js "$static/"

cd "$static"
sha256sum graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js
