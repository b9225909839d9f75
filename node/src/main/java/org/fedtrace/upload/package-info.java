/**
 * Upload authorizations: a health authority's signed, single-use, short-lived permission for one
 * diagnosed person to upload exactly the keys whose digest it carries.
 */
package org.fedtrace.upload;
