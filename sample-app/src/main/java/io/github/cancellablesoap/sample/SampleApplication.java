package io.github.cancellablesoap.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample application: a SOAP service and a client of it whose calls can be watched,
 * abandoned and aborted.
 *
 * @author Cancellable SOAP
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
