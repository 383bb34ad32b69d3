package io.netattach.validation;

import io.netattach.cni.Finding;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * Developer tool, not a test: appends the validator's current findings as {@code expect:} to corpus cases
 * that have none, so a new case can be written without typing messages. Every appended block must be
 * reviewed by hand before it is committed (it records what the code does, not what it should do).
 * Run: {@code java -cp target/test-classes:target/classes:$(cat cp.txt) io.netattach.validation.CorpusFill}
 */
public final class CorpusFill {

    private CorpusFill() {
    }

    public static void main(String[] args) throws Exception {
        for (Path file : CorpusTest.cases()) {
            String text = Files.readString(file);
            if (text.contains("\nexpect:")) {
                continue;
            }
            JsonNode c = Nads.YAML.readTree(text);
            List<Finding> findings = CorpusTest.actual(c).stream()
                    .sorted(Comparator.comparing(Finding::path).thenComparing(Finding::severity).thenComparing(Finding::message))
                    .toList();
            String block = CorpusTest.asYaml(findings);
            Files.writeString(file, text + block);
            System.out.println("== " + file);
            System.out.print(block);
        }
    }
}
