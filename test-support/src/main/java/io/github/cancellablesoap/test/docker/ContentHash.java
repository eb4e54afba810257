package io.github.cancellablesoap.test.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A SHA-256 over strings, files and directory trees, used to tag images by what they are
 * made of, so that an image built by an earlier run can be reused only when it is the
 * same.
 * <p>
 * Not thread-safe.
 *
 * @author Cancellable SOAP
 */
final class ContentHash {

	private final MessageDigest digest;

	ContentHash() {
		try {
			this.digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	ContentHash add(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		addLength(bytes.length);
		this.digest.update(bytes);
		return this;
	}

	/**
	 * Add a file's bytes, or every regular file of a directory tree (relative names and
	 * bytes, in name order).
	 * @param path the file or directory
	 * @return this
	 */
	ContentHash addFile(Path path) {
		if (Files.isDirectory(path)) {
			List<Path> files;
			try (Stream<Path> walk = Files.walk(path)) {
				files = walk.filter(Files::isRegularFile).sorted().toList();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			for (Path file : files) {
				add(path.relativize(file).toString());
				addBytes(file);
			}
			return this;
		}
		if (!Files.exists(path)) {
			return add("<missing " + path + ">");
		}
		addBytes(path);
		return this;
	}

	/**
	 * Add a file's size and modification time: for a large file whose bytes are not worth
	 * reading each time (a JDK's module image).
	 * @param path the file
	 * @return this
	 */
	ContentHash addSizeAndTime(Path path) {
		try {
			return add(path + ":" + Files.size(path) + ":" + Files.getLastModifiedTime(path).toMillis());
		}
		catch (IOException ex) {
			return add("<missing " + path + ">");
		}
	}

	private void addBytes(Path file) {
		try (InputStream in = Files.newInputStream(file)) {
			add(Long.toString(Files.size(file)));
			byte[] buffer = new byte[64 * 1024];
			int read;
			while ((read = in.read(buffer)) != -1) {
				this.digest.update(buffer, 0, read);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void addLength(int length) {
		this.digest.update(
				new byte[] { (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length });
	}

	/**
	 * The hash so far, as hex digits; the hash cannot be extended afterwards.
	 * @return 64 hex digits
	 */
	String hex() {
		return HexFormat.of().formatHex(this.digest.digest());
	}

}
