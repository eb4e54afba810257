/**
 * The quotes service contract shared by its endpoint and its client: namespace, element
 * names and DOM helpers.
 */
package io.github.cancellablesoap.sample.quotes;
