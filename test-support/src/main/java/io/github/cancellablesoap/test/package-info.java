/**
 * Test support for users of the starter: a misbehaving SOAP service, in-process or in a
 * container, that records every request and sees, from the server side, when each
 * connection closes.
 */
package io.github.cancellablesoap.test;
