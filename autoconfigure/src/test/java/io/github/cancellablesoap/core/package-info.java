/**
 * Tests of the lifecycle table that proxies and hosts share.
 */
package io.github.cancellablesoap.core;
