package io.github.cancellablesoap.sample.client;

/**
 * A report answered by the quotes service.
 *
 * @param delayMs how long the service was asked to work on it
 * @param summary what the service says about it
 * @author Cancellable SOAP
 */
public record Report(long delayMs, String summary) {

}
