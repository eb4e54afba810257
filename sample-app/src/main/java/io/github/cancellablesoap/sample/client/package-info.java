/**
 * The client side: a {@code quotes} service proxy wired by hand, and a small client of
 * the quotes service on top of it.
 */
package io.github.cancellablesoap.sample.client;
