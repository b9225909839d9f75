/**
 * The node's state machine of spec §21: STARTING, SERVING, SUNSET, DRAINING, STOPPED, and the
 * checks every part of the node asks before it exchanges.
 */
package org.fedtrace.node.lifecycle;
