/**
 * The sample application.
 */
package io.github.cancellablesoap.sample;
