package io.github.cancellablesoap.sample.service;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.ws.wsdl.wsdl11.DefaultWsdl11Definition;
import org.springframework.xml.xsd.SimpleXsdSchema;
import org.springframework.xml.xsd.XsdSchema;

import io.github.cancellablesoap.sample.quotes.QuotesXml;

/**
 * Publishes the quotes service's schema and its WSDL: Spring WS serves a
 * {@link DefaultWsdl11Definition} bean named {@code quotes} at
 * {@code <spring.webservices.path>/quotes.wsdl}.
 *
 * @author Cancellable SOAP
 */
@Configuration(proxyBeanMethods = false)
public class QuotesWebServiceConfiguration {

	@Bean
	public XsdSchema quotesSchema() {
		return new SimpleXsdSchema(new ClassPathResource("quotes.xsd"));
	}

	@Bean
	public DefaultWsdl11Definition quotes(XsdSchema quotesSchema,
			@Value("${cancellable-soap.hosts.quotes.path}") String hostPath) {
		DefaultWsdl11Definition definition = new DefaultWsdl11Definition();
		definition.setPortTypeName("QuotesPort");
		definition.setServiceName("QuotesService");
		// Requests go to the quotes service host; Boot's servlet only publishes the WSDL.
		definition.setLocationUri(hostPath);
		definition.setTargetNamespace(QuotesXml.NAMESPACE);
		definition.setSchema(quotesSchema);
		return definition;
	}

}
