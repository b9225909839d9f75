/**
 * The public read-only transparency endpoint and its web page (spec transparency.md §14): HTTPS
 * without a client certificate on a port of its own, serving the signed checkpoint, log entries
 * without identifying fields, proofs, the agreement's terms and (later) statistics as a small JSON
 * API, and the page that verifies them in the browser. It reads the log and the agreement, never
 * writes.
 */
package org.fedtrace.node.web;
