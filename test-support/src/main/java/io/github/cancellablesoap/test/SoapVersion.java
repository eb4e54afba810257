package io.github.cancellablesoap.test;

import java.util.Locale;

/**
 * The two SOAP versions a {@link MisbehavingSoapService} speaks, told apart by a
 * request's {@code Content-Type} ({@code application/soap+xml} is SOAP 1.2, anything else
 * SOAP 1.1), with what differs between them on the wire: envelope namespace, content
 * type, fault shape and fault codes.
 *
 * @author Cancellable SOAP
 */
public enum SoapVersion {

	/** SOAP 1.1: {@code text/xml}, faults {@code soap:Client} and {@code soap:Server}. */
	SOAP_11("http://schemas.xmlsoap.org/soap/envelope/", "text/xml; charset=utf-8", "Client", "Server"),

	/**
	 * SOAP 1.2: {@code application/soap+xml}, faults {@code env:Sender} and
	 * {@code env:Receiver}.
	 */
	SOAP_12("http://www.w3.org/2003/05/soap-envelope", "application/soap+xml; charset=utf-8", "Sender", "Receiver");

	private final String namespace;

	private final String contentType;

	private final String senderCode;

	private final String receiverCode;

	SoapVersion(String namespace, String contentType, String senderCode, String receiverCode) {
		this.namespace = namespace;
		this.contentType = contentType;
		this.senderCode = senderCode;
		this.receiverCode = receiverCode;
	}

	/**
	 * The envelope namespace.
	 * @return the namespace URI
	 */
	public String namespace() {
		return this.namespace;
	}

	/**
	 * The content type of a message in this version.
	 * @return the content type, with {@code charset=utf-8}
	 */
	public String contentType() {
		return this.contentType;
	}

	/**
	 * The version of a request, from its content type.
	 * @param contentType the {@code Content-Type} header, or {@code null}
	 * @return {@link #SOAP_12} for {@code application/soap+xml}, else {@link #SOAP_11}
	 */
	public static SoapVersion ofContentType(String contentType) {
		if (contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith("application/soap+xml")) {
			return SOAP_12;
		}
		return SOAP_11;
	}

	/**
	 * An envelope with the given body content.
	 * @param bodyContent the XML inside {@code Body}, as is
	 * @return the envelope
	 */
	public String envelope(String bodyContent) {
		return "<env:Envelope xmlns:env=\"" + this.namespace + "\"><env:Body>" + bodyContent
				+ "</env:Body></env:Envelope>";
	}

	/**
	 * An envelope with a fault.
	 * @param sender whether the sender is at fault ({@code Client}/{@code Sender}) rather
	 * than the receiver ({@code Server}/{@code Receiver})
	 * @param reason the fault string (1.1) or reason text (1.2), escaped here
	 * @return the envelope
	 */
	public String faultEnvelope(boolean sender, String reason) {
		String code = "env:" + (sender ? this.senderCode : this.receiverCode);
		String text = escape(reason);
		if (this == SOAP_11) {
			return envelope("<env:Fault><faultcode>" + code + "</faultcode><faultstring>" + text
					+ "</faultstring></env:Fault>");
		}
		return envelope("<env:Fault><env:Code><env:Value>" + code + "</env:Value></env:Code><env:Reason>"
				+ "<env:Text xml:lang=\"en\">" + text + "</env:Text></env:Reason></env:Fault>");
	}

	private static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			switch (c) {
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '&' -> escaped.append("&amp;");
				case '"' -> escaped.append("&quot;");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

}
