/**
 * Test support for users of the starter: a misbehaving SOAP service
 * ({@link io.github.cancellablesoap.test.MisbehavingSoapService}), in-process
 * ({@link io.github.cancellablesoap.test.LocalMisbehavingSoapService}) or in another
 * process or a container
 * ({@link io.github.cancellablesoap.test.MisbehavingSoapServiceMain}, driven by
 * {@link io.github.cancellablesoap.test.RemoteMisbehavingSoapService}), scripted with
 * {@link io.github.cancellablesoap.test.SoapBehaviour}s, that records every request and
 * sees, from the server side, when each connection closes; with a JUnit 5 extension
 * ({@link io.github.cancellablesoap.test.MisbehavingSoapServiceExtension}).
 */
package io.github.cancellablesoap.test;
