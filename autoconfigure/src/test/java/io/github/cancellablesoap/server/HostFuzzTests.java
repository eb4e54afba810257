package io.github.cancellablesoap.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Randomised hostile requests to a host, from a seeded generator (set
 * {@code -Dhostfuzz.seed=<n>} to replay a run; the seed is in every failure message):
 * mutated headers (budgets, call ids, content types, declared lengths) and envelopes
 * (truncated, garbage, deep, with a DTD, in UTF-16, chunked). Whatever arrives, the host
 * stays open, answers a valid request afterwards and leaks no operation.
 */
class HostFuzzTests extends HostileTestSupport {

	private static final int REQUESTS = 300;

	private static final String BROKEN_CHUNKS = "chunked, maybe with broken chunk sizes";

	private static final String[] BUDGETS = { "9999999999999", "-5", "abc", "1".repeat(40), "", " 250 ", "0", "+3",
			"1e9", "99999999999999999999999", "-99999999999999999999999", "2000" };

	private static final String[] CALL_IDS = { "c-1", "x".repeat(500), "a b", "<script>", "\u00e9t\u00e9", "" };

	private static final String[] CONTENT_TYPES = { "text/xml; charset=utf-8", "application/soap+xml", "TEXT/XML",
			"application/json", "text/plain", "multipart/related; boundary=x", "text/xml;;;", "x".repeat(4000),
			"\u00fftext/xml" };

	@Test
	void hostileRequestsLeaveTheHostOpenServingAndEmpty() throws Exception {
		long seed = Long.getLong("hostfuzz.seed", 0x5eed_2026L);
		Random random = new Random(seed);
		for (int i = 0; i < REQUESTS; i++) {
			Case hostile = generate(random);
			String what = "seed " + seed + ", request " + i + ": " + hostile.description;
			RawAnswer answer = exchange(hostile);
			assertThat(this.mainHost.state()).as(what).isEqualTo(HostState.OPEN);
			assertThat(this.mainHost.listenerState()).as(what).isEqualTo(ListenerState.OPEN);
			// a body whose HTTP framing is broken (cut short, bad chunk sizes) fails the
			// container's own read, and the container answers it with its error page
			if (answer.status() == 500 && !hostile.framingBroken) {
				assertThat(answer.text()).as(what + ": a 500 carries a SOAP fault").contains("Fault>");
			}
			assertThat(answer.status()).as(what + ": never refused for capacity").isNotEqualTo(503);
			if (i % 50 == 49) {
				await().atMost(Duration.ofSeconds(15))
					.untilAsserted(() -> assertThat(this.mainHost.operations()).as(what).isEmpty());
			}
		}
		assertHostUnharmed();
	}

	private RawAnswer exchange(Case hostile) throws IOException {
		try (Socket socket = connect()) {
			OutputStream out = socket.getOutputStream();
			try {
				out.write(hostile.bytes);
				out.flush();
				if (hostile.endEarly) {
					socket.shutdownOutput();
				}
			}
			catch (SocketException ex) {
				// the server answered and closed before it read everything
			}
			return RawAnswer.read(socket.getInputStream());
		}
	}

	private static Case generate(Random random) {
		List<String> description = new ArrayList<>();
		byte[] body = body(random, description);
		List<String> headers = new ArrayList<>();
		String contentType = (random.nextInt(3) == 0) ? pick(random, CONTENT_TYPES) : "text/xml; charset=utf-8";
		if (random.nextInt(20) != 0) {
			headers.add("Content-Type: " + contentType);
		}
		description.add("content type " + abbreviate(contentType));
		if (random.nextInt(3) == 0) {
			String budget = pick(random, BUDGETS);
			headers.add(ServiceHostServlet.CALL_TIMEOUT_HEADER + ": " + budget);
			description.add("budget '" + abbreviate(budget) + "'");
		}
		if (random.nextInt(4) == 0) {
			String id = pick(random, CALL_IDS);
			headers.add(ServiceHostServlet.CALL_ID_HEADER + ": " + id);
			description.add("call id '" + abbreviate(id) + "'");
		}
		boolean endEarly = false;
		int framing = random.nextInt(10);
		if (framing == 0) {
			headers.add("Content-Length: " + (body.length + 1 + random.nextInt(100_000)));
			endEarly = true;
			description.add("declared longer than sent, then the caller stops sending");
		}
		else if (framing == 1) {
			String length = pick(random, new String[] { "99999999999", "-1", "12abc", "99999999999999999999999" });
			headers.add("Content-Length: " + length);
			endEarly = true;
			description.add("content length " + length);
		}
		else if (framing == 2) {
			headers.add("Transfer-Encoding: chunked");
			body = chunked(body, random, description);
		}
		else {
			headers.add("Content-Length: " + body.length);
		}
		byte[] head = HostileTestSupport.head("main", headers.toArray(String[]::new))
			.getBytes(StandardCharsets.ISO_8859_1);
		return new Case(HostileRequestTests.concat(head, body), endEarly,
				endEarly || description.contains(BROKEN_CHUNKS), String.join(", ", description));
	}

	private static byte[] body(Random random, List<String> description) {
		String valid = work("echo");
		switch (random.nextInt(9)) {
			case 0 -> {
				int cut = random.nextInt(valid.length());
				description.add("envelope truncated at " + cut);
				return valid.substring(0, cut).getBytes(StandardCharsets.UTF_8);
			}
			case 1 -> {
				byte[] garbage = new byte[random.nextInt(2000)];
				random.nextBytes(garbage);
				description.add(garbage.length + " random bytes");
				return garbage;
			}
			case 2 -> {
				int depth = 200 + random.nextInt(20_000);
				description.add("nested " + depth + " deep");
				return envelope("<t:Work xmlns:t=\"urn:test\" mode=\"echo\">" + "<a>".repeat(depth)
						+ "</a>".repeat(depth) + "</t:Work>")
					.getBytes(StandardCharsets.UTF_8);
			}
			case 3 -> {
				description.add("with a DTD");
				return ("<!DOCTYPE x [<!ENTITY a \"b\">]>" + valid).getBytes(StandardCharsets.UTF_8);
			}
			case 4 -> {
				description.add("unknown payload");
				return envelope("<t:Nothing xmlns:t=\"urn:none\"/>").getBytes(StandardCharsets.UTF_8);
			}
			case 5 -> {
				description.add("not an envelope");
				return "<a><b/></a>".getBytes(StandardCharsets.UTF_8);
			}
			case 6 -> {
				description.add("UTF-16");
				return ("\uFEFF" + valid).getBytes(StandardCharsets.UTF_16LE);
			}
			case 7 -> {
				description.add("empty body");
				return new byte[0];
			}
			default -> {
				description.add("valid envelope");
				return valid.getBytes(StandardCharsets.UTF_8);
			}
		}
	}

	private static byte[] chunked(byte[] body, Random random, List<String> description) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		boolean broken = random.nextBoolean();
		int offset = 0;
		while (offset < body.length) {
			int size = Math.min(body.length - offset, 1 + random.nextInt(4096));
			String sizeLine = (broken && random.nextInt(4) == 0) ? "zz" : Integer.toHexString(size);
			out.writeBytes((sizeLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.write(body, offset, size);
			out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
			offset += size;
		}
		out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		description.add(broken ? BROKEN_CHUNKS : "chunked");
		return out.toByteArray();
	}

	private static String pick(Random random, String[] values) {
		return values[random.nextInt(values.length)];
	}

	private static String abbreviate(String value) {
		return (value.length() > 40) ? value.substring(0, 40) + "..." : value;
	}

	private record Case(byte[] bytes, boolean endEarly, boolean framingBroken, String description) {
	}

}
