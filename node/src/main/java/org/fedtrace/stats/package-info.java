/**
 * Differentially private release of counts: exact samplers for the discrete Laplace and discrete
 * Gaussian distributions drawn from a cryptographic random source, and the mechanism that adds
 * their noise to a count with a stated privacy cost. A library: it knows neither the store nor the
 * node.
 */
package org.fedtrace.stats;
