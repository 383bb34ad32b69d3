package io.netattach.validation;

import io.netattach.cni.Finding;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SeedNadTest {

    private static final Path EXAMPLES = Path.of("deploy/examples");

    @Test
    void managementNetHasNoFindings() {
        List<Finding> findings = Nads.validate(Nads.yamlFile(EXAMPLES.resolve("management.yaml")));
        assertEquals("", Nads.lines(findings));
    }

    @Test
    void sipNetHasNoFindings() {
        List<Finding> findings = Nads.validate(Nads.yamlFile(EXAMPLES.resolve("sip.yaml")));
        assertEquals("", Nads.lines(findings));
    }

    @Test
    void upstreamPluginsWarnOnlyAboutVlan() {
        List<Finding> findings = Nads.validateUpstream(Nads.yamlFile(EXAMPLES.resolve("management.yaml")));
        assertEquals("WARNING /spec/config/plugins/0/vlan: vlan 100 is ignored by the upstream macvlan plugin: traffic leaves "
                + "master \"br-ex\" untagged (netattach's macvlan honours it; upstream needs a VLAN interface as master)\n",
                Nads.lines(findings));
    }
}
