package io.github.cancellablesoap.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * One request payload of {@link ProxyCostBenchmark} and the JMH benchmarks, of about a
 * given size, and the check of the response the {@link LoopbackServer} gives it: the
 * server echoes the request's {@code <b:items>} element, so the response is about as
 * large as the request, and a verified response holds the status, the checksum and
 * exactly as many items as were sent.
 * <p>
 * Immutable and thread-safe.
 *
 * @author Cancellable SOAP
 */
final class Payload {

	private static final String HEAD = "<b:EchoRequest xmlns:b=\"" + LoopbackServer.NAMESPACE + "\">"
			+ "<b:id>42</b:id>" + "<b:customer><b:name>Ada Lovelace</b:name><b:email>ada@example.org</b:email>"
			+ "<b:country>GB</b:country></b:customer><b:items>";

	private static final String[] ITEMS = { "<b:item sku=\"A-1001\" quantity=\"2\">Analytical engine gear</b:item>",
			"<b:item sku=\"B-2002\" quantity=\"1\">Punched card reader</b:item>",
			"<b:item sku=\"C-3003\" quantity=\"5\">Brass column</b:item>" };

	private static final String TAIL = "</b:items><b:note>Deliver to the front desk between nine and five.</b:note>"
			+ "</b:EchoRequest>";

	private static final String ITEM_END = "</b:item>";

	private final String label;

	private final String request;

	private final int items;

	private Payload(String label, String request, int items) {
		this.label = label;
		this.request = request;
		this.items = items;
	}

	/**
	 * The smallest payload of at least a number of bytes (at least one item).
	 * @param bytes the size in UTF-8 bytes
	 * @return the payload
	 */
	static Payload ofSize(int bytes) {
		StringBuilder text = new StringBuilder(bytes + 256).append(HEAD);
		int items = 0;
		while (items == 0 || text.length() + TAIL.length() < bytes) {
			text.append(ITEMS[items % ITEMS.length]);
			items++;
		}
		text.append(TAIL);
		return new Payload(label(bytes), text.toString(), items);
	}

	/**
	 * Payloads from a comma-separated list of sizes such as {@code 512,10k,1m}.
	 * @param sizes the sizes; {@code k} and {@code m} multiply by 1024 and 1024 * 1024
	 * @return the payloads, in order
	 */
	static Payload[] parse(String sizes) {
		String[] parts = sizes.split(",");
		Payload[] payloads = new Payload[parts.length];
		for (int i = 0; i < parts.length; i++) {
			String part = parts[i].trim().toLowerCase(Locale.ROOT);
			int factor = part.endsWith("k") ? 1024 : part.endsWith("m") ? 1024 * 1024 : 1;
			String digits = (factor == 1) ? part : part.substring(0, part.length() - 1);
			payloads[i] = ofSize(Integer.parseInt(digits) * factor);
		}
		return payloads;
	}

	private static String label(int bytes) {
		if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
			return (bytes / (1024 * 1024)) + " MB";
		}
		if (bytes % 512 == 0) {
			return (bytes % 1024 == 0) ? (bytes / 1024) + " KB" : String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
		}
		return bytes + " B";
	}

	/**
	 * The size asked for, for reports.
	 * @return for example {@code 10 KB}
	 */
	String label() {
		return this.label;
	}

	String request() {
		return this.request;
	}

	/**
	 * The payload's size.
	 * @return UTF-8 bytes
	 */
	int bytes() {
		return this.request.getBytes(StandardCharsets.UTF_8).length;
	}

	int items() {
		return this.items;
	}

	/**
	 * Check the response to this payload.
	 * @param response the response payload as text
	 * @return {@code null} when it is the expected echo, else what is wrong
	 */
	@Nullable String check(String response) {
		if (!response.contains("EchoResponse") || !response.contains(">ok<") || !response.contains("9f2c61d0")) {
			return "not the expected EchoResponse: " + abbreviate(response);
		}
		int echoed = count(response, ITEM_END);
		if (echoed != this.items) {
			return "the response echoed " + echoed + " items, " + this.items + " were sent: " + abbreviate(response);
		}
		return null;
	}

	private static int count(String text, String part) {
		int found = 0;
		int at = text.indexOf(part);
		while (at >= 0) {
			found++;
			at = text.indexOf(part, at + part.length());
		}
		return found;
	}

	private static String abbreviate(String text) {
		return (text.length() <= 300) ? text : text.substring(0, 300) + "... (" + text.length() + " chars)";
	}

}
