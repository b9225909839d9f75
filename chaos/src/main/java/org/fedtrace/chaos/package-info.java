/**
 * The chaos harness ({@code chaos/run}, docs/chaos.md): real node processes from the runnable jar,
 * under load from publishers and subscribers, while the harness kills them with SIGKILL, fills
 * their disks, damages their stores while they are stopped, partitions their links and skews their
 * clocks; after each round it checks from the outside, through the nodes' own client APIs, that
 * nothing acknowledged was lost or doubled, that sequences have no gap, that cursors agree and that
 * every log verifies. Test scaffolding: nothing in the node depends on it.
 */
package org.fedtrace.chaos;
