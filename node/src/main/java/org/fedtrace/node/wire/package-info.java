/**
 * The Federation messages that carry batches, as bytes on the wire: a received batch is stored in
 * the bytes it arrived in, and a stored batch is served without being parsed again.
 */
package org.fedtrace.node.wire;
