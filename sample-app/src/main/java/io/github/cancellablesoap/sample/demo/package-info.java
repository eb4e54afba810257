/**
 * The sample's small REST front end under {@code /demo}: it makes calls through the
 * quotes proxy and applies the proxy's verbs.
 */
package io.github.cancellablesoap.sample.demo;
