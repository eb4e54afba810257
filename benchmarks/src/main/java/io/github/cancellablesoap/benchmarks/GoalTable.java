package io.github.cancellablesoap.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one Markdown table of {@link GoalsBenchmark}: every performance goal beside its
 * measured value and the baseline or ratio measured in the same run, under a header that
 * says when, on what and with which command the run was made.
 * <p>
 * Not thread-safe: filled and printed by the benchmark's main thread.
 */
final class GoalTable {

	private final List<String> header = new ArrayList<>();

	private final List<Row> rows = new ArrayList<>();

	/**
	 * Add a line to the header (a Markdown list item).
	 * @param line the text
	 */
	void headerLine(String line) {
		this.header.add("- " + line);
	}

	void add(Row row) {
		this.rows.add(row);
	}

	void addAll(List<Row> rows) {
		this.rows.addAll(rows);
	}

	/**
	 * The table as Markdown: a title, the header lines and the table.
	 * @return the text, lines ending with a newline
	 */
	String markdown() {
		StringBuilder text = new StringBuilder("### Goals, measured in one run\n\n");
		this.header.forEach((line) -> text.append(line).append('\n'));
		text.append('\n');
		text.append("| goal | target | measured | baseline or ratio, same run | met? |\n");
		text.append("|---|---|---|---|---|\n");
		for (Row row : this.rows) {
			text.append("| ")
				.append(cell(row.goal()))
				.append(" | ")
				.append(cell(row.target()))
				.append(" | ")
				.append(cell(row.measured()))
				.append(" | ")
				.append(cell(row.baseline()))
				.append(" | ")
				.append(cell(row.met()))
				.append(" |\n");
		}
		return text.toString();
	}

	/**
	 * Write the Markdown to a file, creating its directory.
	 * @param file where
	 * @throws IOException when it cannot be written
	 */
	void write(Path file) throws IOException {
		Path directory = file.toAbsolutePath().getParent();
		if (directory != null) {
			Files.createDirectories(directory);
		}
		Files.writeString(file, markdown(), StandardCharsets.UTF_8);
	}

	private static String cell(String text) {
		return text.replace("|", "\\|").replace("\n", " ");
	}

	/**
	 * One goal: what it is, its target, what was measured, what it was compared with in
	 * the same run, and whether it was met.
	 *
	 * @param goal the goal, with the conditions of its measurement
	 * @param target the target value
	 * @param measured the measured value and how many samples it rests on
	 * @param baseline the baseline measured in the same run and the ratio to it, or a
	 * dash
	 * @param met {@code yes}, {@code no}, or why neither applies
	 */
	record Row(String goal, String target, String measured, String baseline, String met) {

		static String verdict(boolean met) {
			return met ? "yes" : "no";
		}

	}

}
