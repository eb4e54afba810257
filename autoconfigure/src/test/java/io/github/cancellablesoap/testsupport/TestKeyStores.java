package io.github.cancellablesoap.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes PKCS12 key and trust stores for tests with the JDK's {@code keytool}: a
 * self-signed RSA key pair under an alias, a copy of a store under another password, and
 * a trust store holding the certificates of key stores. Nothing is fetched; the stores
 * are deleted when the JVM exits.
 * <p>
 * Thread-safe: stateless; each method runs its own {@code keytool} processes.
 *
 * @author Cancellable SOAP
 */
public final class TestKeyStores {

	private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

	private TestKeyStores() {
	}

	/**
	 * Generate a key store holding one self-signed RSA key pair, valid for two days.
	 * @param dir where the store is written
	 * @param alias the key's alias, also its certificate's common name
	 * @param password the store's (and the key's) password
	 * @return the store's file
	 */
	public static Path keyPair(Path dir, String alias, String password) {
		Path store = dir.resolve(alias + ".p12");
		keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + alias,
				"-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password,
				"-keypass", password);
		return deletedOnExit(store);
	}

	/**
	 * Copy a key store under another password (the key's password changes with it).
	 * @param source the store to copy
	 * @param sourcePassword its password
	 * @param target the copy's file
	 * @param targetPassword the copy's password
	 * @return the copy's file
	 */
	public static Path copy(Path source, String sourcePassword, Path target, String targetPassword) {
		keytool("-importkeystore", "-noprompt", "-srckeystore", source.toString(), "-srcstoretype", "PKCS12",
				"-srcstorepass", sourcePassword, "-destkeystore", target.toString(), "-deststoretype", "PKCS12",
				"-deststorepass", targetPassword);
		return deletedOnExit(target);
	}

	/**
	 * Write a trust store holding the certificate of one key of a key store.
	 * @param trustStore the trust store's file; created, or added to
	 * @param password the trust store's password
	 * @param keyStore the key store
	 * @param keyStorePassword its password
	 * @param alias the key's alias, also the certificate's alias in the trust store
	 * @return the trust store's file
	 */
	public static Path trust(Path trustStore, String password, Path keyStore, String keyStorePassword, String alias) {
		Path certificate = deletedOnExit(trustStore.resolveSibling(alias + ".cer"));
		keytool("-exportcert", "-alias", alias, "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass",
				keyStorePassword, "-file", certificate.toString());
		keytool("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(), "-keystore",
				trustStore.toString(), "-storetype", "PKCS12", "-storepass", password);
		return deletedOnExit(trustStore);
	}

	/**
	 * Load a PKCS12 store.
	 * @param store the store's file
	 * @param password its password
	 * @return the loaded store
	 */
	public static KeyStore load(Path store, String password) {
		try {
			return KeyStore.getInstance(store.toFile(), password.toCharArray());
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot load the key store " + store, ex);
		}
	}

	/**
	 * Files are deleted in the reverse order of registration: a directory after its
	 * files.
	 */
	private static Path deletedOnExit(Path path) {
		path.toFile().deleteOnExit();
		return path;
	}

	private static void keytool(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("keytool " + arguments[0] + " did not end");
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException(
						"keytool " + arguments[0] + " failed: " + new String(output, StandardCharsets.UTF_8).strip());
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run keytool", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while keytool ran", ex);
		}
	}

	/**
	 * A new temporary directory for stores, deleted with its files when the JVM exits.
	 * @param prefix the directory name's prefix
	 * @return the directory
	 */
	public static Path temporaryDirectory(String prefix) {
		try {
			Path dir = Files.createTempDirectory(prefix);
			return deletedOnExit(dir);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot create a directory for key stores", ex);
		}
	}

}
