/**
 * The quotes SOAP service that the application hosts with Spring Web Services.
 */
package io.github.cancellablesoap.sample.service;
