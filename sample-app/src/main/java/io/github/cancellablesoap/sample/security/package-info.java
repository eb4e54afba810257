/**
 * The sample's demo-only users and the security rules of its operator endpoint.
 */
package io.github.cancellablesoap.sample.security;
