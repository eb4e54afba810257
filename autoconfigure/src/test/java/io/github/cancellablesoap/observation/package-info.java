/**
 * Tests of the meters and observations of proxies and hosts.
 */
package io.github.cancellablesoap.observation;
