// Preloaded into firebase-tools by scripts/suite.py.
// Node 19+ keeps idle HTTP connections open by default. The functions
// emulator proxies each event to a Python worker over such a connection,
// and when the worker's server closes an idle one just as Node reuses it,
// the event is lost ("Request to function failed: Error: socket hang up").
// A fresh connection per request removes that race.
const http = require("http");
http.globalAgent = new http.Agent({ keepAlive: false });
