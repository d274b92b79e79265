"""The HTTP face of the GraphQL endpoint: GraphQL over HTTP, WebSockets, GraphiQL."""

from coinstack_graphql.http.graphiql import GRAPHIQL_STATIC_PATH, graphiql_routes
from coinstack_graphql.http.graphql_app import (
    ContextGetter,
    GraphQLApp,
    RequireOperationName,
    WsConnectHook,
    make_graphql_app,
)
from coinstack_graphql.http.masking import PUBLIC_ERROR_CODES, MaskInternalErrors

__all__ = [
    "GRAPHIQL_STATIC_PATH",
    "PUBLIC_ERROR_CODES",
    "ContextGetter",
    "GraphQLApp",
    "MaskInternalErrors",
    "RequireOperationName",
    "WsConnectHook",
    "graphiql_routes",
    "make_graphql_app",
]
