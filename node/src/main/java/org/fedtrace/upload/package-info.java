/**
 * Upload authorizations: a health authority's signed, single-use, short-lived permission for one
 * diagnosed person to upload exactly the keys whose digest it carries, and the health-authority
 * keys a node trusts for them.
 */
package org.fedtrace.upload;
