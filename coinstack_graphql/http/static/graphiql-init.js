// Boots GraphiQL against the URL this page was served from (CoinStack's own code).
// Kept out of the HTML so the page's Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("graphiql-config").textContent);
  var endpoint = new URL(window.location.pathname, window.location.origin);
  var socket = new URL(endpoint.href);
  socket.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";

  // Headers typed in GraphiQL's editor (e.g. Authorization) go with every HTTP
  // request, and as connection_init params on the graphql-transport-ws socket.
  var fetcher = GraphiQL.createFetcher({
    url: endpoint.href,
    subscriptionUrl: socket.href,
  });

  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: config.defaultQuery,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      // Never write tokens from the headers editor to localStorage.
      shouldPersistHeaders: false,
    })
  );
})();
