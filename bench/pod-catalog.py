#!/usr/bin/env python3
"""Generates the pod part of the load benchmark (bench/webhook-load.sh):

  - a directory of NAD manifests for the standalone catalog: NADS NetworkAttachmentDefinitions across
    NAMESPACES namespaces, one multi-document file per namespace; in chain-example, 10 of them select
    app=chain-test (the pod of the review), the others select other apps;
  - the /validate/pods review: the realistic pod CREATE review with the networks annotation those 10
    NADs give it (what /mutate/pods returns), so validation looks all 10 up.

usage: bench/pod-catalog.py CATALOG_DIR POD_REVIEW VALIDATE_REVIEW_OUT [NADS] [NAMESPACES]
"""
import json
import os
import sys


def nad(namespace, name, selector, iface, order, subnet):
    config = json.dumps({"cniVersion": "1.0.0", "name": name, "type": "macvlan", "master": "br-ex", "mode": "bridge",
                         "ipam": {"type": "host-local", "subnet": subnet}})
    return (
        "apiVersion: k8s.cni.cncf.io/v1\n"
        "kind: NetworkAttachmentDefinition\n"
        "metadata:\n"
        f"  name: {name}\n"
        f"  namespace: {namespace}\n"
        "  annotations:\n"
        f"    netattach.io/inject-selector: \"{selector}\"\n"
        f"    netattach.io/interface: {iface}\n"
        f"    netattach.io/inject-order: \"{order}\"\n"
        "spec:\n"
        f"  config: '{config}'\n"
    )


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    catalog, review_in, review_out = sys.argv[1:4]
    total = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    namespaces = int(sys.argv[5]) if len(sys.argv) > 5 else 100
    per_namespace = total // namespaces
    os.makedirs(catalog, exist_ok=True)
    for old in os.listdir(catalog):
        if old.endswith(".yaml"):
            os.remove(os.path.join(catalog, old))
    for n in range(namespaces):
        namespace = "chain-example" if n == 0 else f"tenant-{n:03d}"
        docs = []
        for k in range(per_namespace):
            selector = "app=chain-test" if k < 10 else f"app=svc-{k}"
            docs.append(nad(namespace, f"net-{k:03d}", selector, f"net{k + 1}" if k >= 10 else f"eth{k + 1}", k + 1,
                            f"10.{n % 250}.{k % 250}.0/24"))
        with open(os.path.join(catalog, f"{namespace}.yaml"), "w") as f:
            f.write("---\n".join(docs))
    with open(review_in) as f:
        review = json.load(f)
    networks = [{"name": f"net-{k:03d}", "interface": f"eth{k + 1}"} for k in range(min(10, per_namespace))]
    annotations = review["request"]["object"]["metadata"].setdefault("annotations", {})
    annotations["k8s.v1.cni.cncf.io/networks"] = json.dumps(networks, separators=(",", ":"))
    annotations["netattach.io/injected-networks"] = ",".join(f"{e['name']}@{e['interface']}" for e in networks)
    with open(review_out, "w") as f:
        json.dump(review, f, separators=(",", ":"))
    print(f"bench: catalog {catalog}: {per_namespace * namespaces} NADs in {namespaces} namespaces, "
          f"{min(10, per_namespace)} selecting the pod")


if __name__ == "__main__":
    main()
