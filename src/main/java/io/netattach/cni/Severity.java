package io.netattach.cni;

/** How bad a finding is: {@code ERROR} denies admission and fails {@code lint}; {@code WARNING} is reported. */
public enum Severity {
    ERROR,
    WARNING
}
