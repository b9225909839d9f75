/**
 * Key exports for devices (spec/protocol.md §24): the keys a node holds, released under the export
 * policy (embargo, minimum keys with padding, whole-hour windows) into signed Exposure Notification
 * export files that phones download from a static web server. Reads the store; never imports the
 * node.
 */
package org.fedtrace.export;
