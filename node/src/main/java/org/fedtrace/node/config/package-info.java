/**
 * A node's configuration: {@link org.fedtrace.node.config.NodeConfig}, whose sections mirror the
 * YAML file's, the documented {@link org.fedtrace.node.config.Settings}, and the reader and writer
 * of the file. Every part of the node reads its own section.
 */
package org.fedtrace.node.config;
