#!/usr/bin/env python3
"""Drives the VpcPeer emulator with Alibaba's official Python SDK (alibabacloud-vpcpeer20220101,
pinned in requirements.txt), in both signature modes: V1 (signature_algorithm='v2') and V3 (the
SDK's default, ACS3-HMAC-SHA256).

It creates (or reuses) a virtual environment at --venv, installs the pinned packages there and
re-runs itself inside it. Every operation is called; the cross-account create -> reject flow, a
DryRun, typed error codes and a wrong secret are checked. Exit status 0 means the official client
works against the emulator.

    python3 official_sdk.py --venv /tmp/venv --endpoint 127.0.0.1:8080 \
        --account-a UID:ACCESS_KEY_ID:SECRET --account-b UID:ACCESS_KEY_ID:SECRET
"""

import argparse
import hashlib
import os
import subprocess
import sys
import venv

HERE = os.path.dirname(os.path.abspath(__file__))
REQUIREMENTS = os.path.join(HERE, "requirements.txt")


def ensure_environment(venv_dir):
    """Creates the venv and installs the pinned requirements once per requirements content."""
    python = os.path.join(venv_dir, "bin", "python")
    if not os.path.exists(python):
        try:
            venv.create(venv_dir, with_pip=True)
        except Exception as e:  # ensurepip missing, unwritable directory, ...
            sys.exit(f"cannot create a virtual environment at {venv_dir} ({e}); install Python's venv module (e.g. python3-venv)")
    with open(REQUIREMENTS, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    marker = os.path.join(venv_dir, "requirements.sha256")
    installed = open(marker).read().strip() if os.path.exists(marker) else ""
    if installed != digest:
        subprocess.run(
            [python, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", REQUIREMENTS],
            check=True,
        )
        with open(marker, "w") as f:
            f.write(digest)
    return python


def parse_account(text):
    uid, key_id, secret = text.split(":", 2)
    return int(uid), key_id, secret


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", required=True)
    parser.add_argument("--endpoint", required=True, help="host:port of the emulator")
    parser.add_argument("--account-a", required=True, type=parse_account)
    parser.add_argument("--account-b", required=True, type=parse_account)
    parser.add_argument(
        "--expect-throttled",
        action="store_true",
        help="the emulator throttles the next two ListTagResources calls (x-acs-retry-after: 1500)",
    )
    args = parser.parse_args()
    if os.path.realpath(sys.prefix) != os.path.realpath(args.venv):
        python = ensure_environment(args.venv)
        os.execv(python, [python, os.path.abspath(__file__)] + sys.argv[1:])
    modes = ("v2", None)
    if args.expect_throttled:
        for mode in modes:
            Conformance(args, mode).throttled()
    for mode in modes:
        Conformance(args, mode).run()
    print("official SDK conformance: all checks passed")


class Conformance:
    def __init__(self, args, mode):
        self.args = args
        self.mode = mode
        self.label = "V1" if mode == "v2" else "V3"
        self.uid_a = args.account_a[0]
        self.uid_b = args.account_b[0]
        self.a = self.client(args.account_a)
        self.b = self.client(args.account_b)

    def client(self, account, secret=None):
        from alibabacloud_tea_openapi import models as open_api_models
        from alibabacloud_vpcpeer20220101.client import Client

        _, key_id, real_secret = account
        config = open_api_models.Config(
            access_key_id=key_id,
            access_key_secret=secret or real_secret,
            endpoint=self.args.endpoint,
            protocol="http",
            connect_timeout=5000,
            read_timeout=10000,
        )
        if self.mode:
            config.signature_algorithm = self.mode
        return Client(config)

    def step(self, text):
        print(f"[{self.label}] {text}", flush=True)

    def expect_error(self, code, call):
        from alibabacloud_tea_openapi.exceptions import ClientException

        try:
            call()
        except ClientException as e:
            assert e.code == code, f"expected {code}, got {e.code}: {e.message}"
            assert e.status_code in (400, 404), e.status_code
            request_id = (e.data or {}).get("RequestId")
            assert request_id, f"no RequestId in {e.data}"
            return e
        raise AssertionError(f"expected error {code}, the call succeeded")

    def throttled(self):
        from alibabacloud_tea_openapi.exceptions import ThrottlingException
        from alibabacloud_vpcpeer20220101 import models as m

        self.step("a throttled call raises ThrottlingException with retry_after")
        try:
            self.a.list_tag_resources(
                m.ListTagResourcesRequest(resource_type="PeerConnection", region_id="cn-hangzhou", resource_id=["pcc-x"])
            )
        except ThrottlingException as e:
            assert (e.code, e.status_code, e.retry_after) == ("Throttling.User", 400, 1500), (e.code, e.status_code, e.retry_after)
            return
        raise AssertionError("expected ThrottlingException")

    def run(self):
        from alibabacloud_vpcpeer20220101 import models as m

        p = self.label.lower()
        a, b = self.a, self.b

        self.step("A creates a cross-account peering to B")
        created = a.create_vpc_peer_connection(
            m.CreateVpcPeerConnectionRequest(
                region_id="cn-hangzhou",
                vpc_id=f"vpc-{p}requester",
                accepting_ali_uid=self.uid_b,
                accepting_region_id="cn-hangzhou",
                accepting_vpc_id=f"vpc-{p}accepter",
                name=f"conformance-{p}",
                description="Created by the official SDK",
                client_token=f"create-{p}-1",
                tag=[m.CreateVpcPeerConnectionRequestTag(key="suite", value="conformance: a+b ~*() é 阿里")],
            )
        )
        assert created.status_code == 200
        first = created.body.instance_id
        assert first.startswith("pcc-"), first
        assert created.body.request_id

        self.step("B sees it Accepting, by Get and by List with a VpcId list")
        got = b.get_vpc_peer_connection_attribute(m.GetVpcPeerConnectionAttributeRequest(instance_id=first)).body
        assert got.status == "Accepting", got.status
        assert got.owner_id == self.uid_a and got.accepting_owner_uid == self.uid_b
        assert got.description == "Created by the official SDK", got.description
        assert [(t.key, t.value) for t in got.tags] == [], "B's view has its own tags"
        mine = a.get_vpc_peer_connection_attribute(m.GetVpcPeerConnectionAttributeRequest(instance_id=first)).body
        assert [(t.key, t.value) for t in mine.tags] == [("suite", "conformance: a+b ~*() é 阿里")], mine.to_map()
        listed = b.list_vpc_peer_connections(
            m.ListVpcPeerConnectionsRequest(vpc_id=[f"vpc-{p}requester", "vpc-other"], max_results=10)
        ).body
        assert [c.instance_id for c in listed.vpc_peer_connects] == [first], listed.to_map()

        self.step("B dry-runs the reject: DryRunOperation, nothing changes")
        self.expect_error(
            "DryRunOperation",
            lambda: b.reject_vpc_peer_connection(m.RejectVpcPeerConnectionRequest(instance_id=first, dry_run=True)),
        )
        got = b.get_vpc_peer_connection_attribute(m.GetVpcPeerConnectionAttributeRequest(instance_id=first)).body
        assert got.status == "Accepting", got.status

        self.step("B rejects it; it reads back Rejected")
        rejected = b.reject_vpc_peer_connection(m.RejectVpcPeerConnectionRequest(instance_id=first))
        assert rejected.body.request_id
        got = a.get_vpc_peer_connection_attribute(m.GetVpcPeerConnectionAttributeRequest(instance_id=first)).body
        assert got.status == "Rejected", got.status

        self.step("rejecting again is IncorrectStatus.VpcPeer")
        e = self.expect_error(
            "IncorrectStatus.VpcPeer",
            lambda: b.reject_vpc_peer_connection(m.RejectVpcPeerConnectionRequest(instance_id=first)),
        )
        assert first in e.message, e.message

        self.step("A deletes it; Get says ResourceNotFound.InstanceId")
        a.delete_vpc_peer_connection(m.DeleteVpcPeerConnectionRequest(instance_id=first, force=False))
        self.expect_error(
            "ResourceNotFound.InstanceId",
            lambda: a.get_vpc_peer_connection_attribute(m.GetVpcPeerConnectionAttributeRequest(instance_id=first)),
        )

        self.step("A creates another; B accepts it into its resource group; it becomes Activated")
        second = a.create_vpc_peer_connection(
            m.CreateVpcPeerConnectionRequest(
                region_id="cn-hangzhou",
                vpc_id=f"vpc-{p}requester",
                accepting_ali_uid=self.uid_b,
                accepting_region_id="cn-shanghai",
                accepting_vpc_id=f"vpc-{p}accepter2",
                bandwidth=100,
                link_type="Gold",
            )
        ).body.instance_id
        b.accept_vpc_peer_connection(
            m.AcceptVpcPeerConnectionRequest(
                instance_id=second,
                resource_group_id="rg-conformance",
                tag=[m.AcceptVpcPeerConnectionRequestTag(key="side", value="accepter")],
            )
        )
        got = b.get_vpc_peer_connection_attribute(m.GetVpcPeerConnectionAttributeRequest(instance_id=second)).body
        assert got.status == "Activated", got.status
        assert got.resource_group_id == "rg-conformance", got.resource_group_id
        assert got.accepting_region_id == "cn-shanghai" and got.bandwidth == 100

        self.step("A modifies name, description and bandwidth")
        a.modify_vpc_peer_connection(
            m.ModifyVpcPeerConnectionRequest(instance_id=second, name="renamed", description="Modified", bandwidth=200)
        )
        got = a.get_vpc_peer_connection_attribute(m.GetVpcPeerConnectionAttributeRequest(instance_id=second)).body
        assert (got.name, got.description, got.bandwidth) == ("renamed", "Modified", 200), got.to_map()

        self.step("A tags, lists tags, untags")
        tagged = a.tag_resources(
            m.TagResourcesRequest(
                resource_id=[second],
                resource_type="PeerConnection",
                region_id="cn-hangzhou",
                tag=[m.TagResourcesRequestTag(key="env", value="test"), m.TagResourcesRequestTag(key="team", value="net")],
            )
        ).body
        assert tagged.success is True
        tags = a.list_tag_resources(
            m.ListTagResourcesRequest(resource_type="PeerConnection", region_id="cn-hangzhou", resource_id=[second])
        ).body
        assert sorted((t.tag_key, t.tag_value) for t in tags.tag_resources) == [("env", "test"), ("team", "net")]
        a.un_tag_resources(
            m.UnTagResourcesRequest(
                resource_id=[second], resource_type="PeerConnection", region_id="cn-hangzhou", tag_key=["env"]
            )
        )
        filtered = a.list_vpc_peer_connections(
            m.ListVpcPeerConnectionsRequest(tags=[m.ListVpcPeerConnectionsRequestTags(key="team", value="net")])
        ).body
        assert filtered.total_count == 1, filtered.to_map()
        a.un_tag_resources(
            m.UnTagResourcesRequest(resource_id=[second], resource_type="PeerConnection", region_id="cn-hangzhou", all=True)
        )

        self.step("A moves it to another resource group")
        moved = a.move_resource_group(
            m.MoveResourceGroupRequest(
                resource_id=second,
                resource_type="PeerConnection",
                new_resource_group_id="rg-moved",
                region_id="cn-hangzhou",
            )
        ).body
        assert moved.success is True
        in_group = a.list_vpc_peer_connections(m.ListVpcPeerConnectionsRequest(resource_group_id="rg-moved")).body
        assert [c.instance_id for c in in_group.vpc_peer_connects] == [second]

        self.step("DryRun delete, then delete")
        self.expect_error(
            "DryRunOperation",
            lambda: a.delete_vpc_peer_connection(m.DeleteVpcPeerConnectionRequest(instance_id=second, dry_run=True)),
        )
        a.delete_vpc_peer_connection(m.DeleteVpcPeerConnectionRequest(instance_id=second))
        assert a.list_vpc_peer_connections(m.ListVpcPeerConnectionsRequest()).body.total_count == 0

        self.step("a wrong secret is SignatureDoesNotMatch")
        wrong = self.client(self.args.account_a, secret="not-the-secret")
        e = self.expect_error(
            "SignatureDoesNotMatch", lambda: wrong.list_vpc_peer_connections(m.ListVpcPeerConnectionsRequest())
        )
        assert "server string to sign is:" in e.message, e.message


if __name__ == "__main__":
    main()
