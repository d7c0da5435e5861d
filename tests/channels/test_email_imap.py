"""imap_poll against a real Dovecot (fixture ``imap_server``) with messages from the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from tanggap.channels.adapters.email import imap
from tanggap.channels.adapters.email.imap import MailboxError, PollResult, imap_poll, mailbox_name
from tanggap.channels.adapters.email.parse import parse_email
from tests.fixtures.net import free_port

pytestmark = pytest.mark.servers

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora" / "email"
MESSAGES = {  # corpus file -> its Message-ID
    "chatwoot/only_text.eml": "<6215e5ca3e3b2_10bc6197e4224d1@tejaswinis-MacBook-Pro.local.mail>",
    "ruby-mail-gem/plain_emails/basic_email.eml": "<6B7EC235-5B17-4CA8-B2B8-39290DEB43A3@test.lindsaar.net>",
    "request-tracker/8859-15-message-series/msg2": "<2147483647.1053972692@[10.0.255.35]>",
}
IDS = list(MESSAGES.values())


@pytest.fixture
def mailbox(imap_server):
    """The server with the three corpus messages appended to INBOX, in order."""
    for name in MESSAGES:
        path = CORPUS / name
        if not path.is_file():
            pytest.skip(f"the shared email corpus is not at {CORPUS.resolve()}")
        imap_server.append(path.read_bytes())
    return imap_server


class Recorder:
    """A ``store`` callback that parses like intake does and can be told to fail."""

    def __init__(self, fail_on: set[str] = frozenset()) -> None:
        self.fail_on = fail_on
        self.stored: list[str] = []

    def __call__(self, raw: bytes) -> None:
        external_id = parse_email(raw).external_id
        if external_id in self.fail_on:
            raise RuntimeError("database unavailable")
        self.stored.append(external_id)


def test_poll_stores_each_message_and_flags_it(mailbox):
    store = Recorder()

    result = imap_poll(**mailbox.poll_kwargs(), store=store)

    assert result == PollResult(fetched=3, stored=3, failed=0)
    assert store.stored == IDS
    assert [(e.message_id, {r"\Seen", r"\Flagged"} <= e.flags) for e in mailbox.mailbox()] == [(i, True) for i in IDS]


def test_second_poll_stores_nothing(mailbox):
    imap_poll(**mailbox.poll_kwargs(), store=Recorder())
    store = Recorder()

    result = imap_poll(**mailbox.poll_kwargs(), store=store)

    assert result == PollResult(fetched=0, stored=0, failed=0)
    assert store.stored == []


def test_failed_store_leaves_the_message_for_the_next_poll(mailbox):
    failing = Recorder(fail_on={IDS[1]})

    first = imap_poll(**mailbox.poll_kwargs(), store=failing)

    assert first == PollResult(fetched=3, stored=2, failed=1)
    assert failing.stored == [IDS[0], IDS[2]]
    flags = {e.message_id: e.flags for e in mailbox.mailbox()}
    assert flags[IDS[1]] == frozenset()  # still unread and unflagged: BODY.PEEK did not set \Seen
    retry = Recorder()

    second = imap_poll(**mailbox.poll_kwargs(), store=retry)

    assert second == PollResult(fetched=1, stored=1, failed=0)
    assert retry.stored == [IDS[1]]


def test_processed_messages_are_moved_to_the_processed_folder(mailbox):
    store = Recorder()

    result = imap_poll(**mailbox.poll_kwargs(), processed_folder="Diproses", store=store)

    assert result == PollResult(fetched=3, stored=3, failed=0)
    assert mailbox.mailbox("INBOX") == []
    assert [e.message_id for e in mailbox.mailbox("Diproses")] == IDS
    assert imap_poll(**mailbox.poll_kwargs(), processed_folder="Diproses", store=store) == PollResult()


@pytest.mark.parametrize("capabilities", [{"IMAP4REV1", "UIDPLUS"}, {"IMAP4REV1"}], ids=["uidplus", "plain"])
def test_servers_without_move_get_copy_delete_expunge(mailbox, monkeypatch, capabilities):
    monkeypatch.setattr(imap, "_capabilities", lambda conn: set(capabilities))
    deleted = b"From: a@example.com\r\nSubject: deleted by a person\r\nMessage-ID: <gone@example.com>\r\n\r\nx\r\n"
    mailbox.append(deleted, flags=r"\Seen \Flagged \Deleted")

    result = imap_poll(**mailbox.poll_kwargs(), processed_folder="Selesai", store=Recorder())

    assert result == PollResult(fetched=3, stored=3, failed=0)
    assert [e.message_id for e in mailbox.mailbox("Selesai")] == IDS
    remaining = [e.message_id for e in mailbox.mailbox("INBOX")]
    # With UIDPLUS only our own messages are expunged; without it EXPUNGE also removes
    # what a person had already marked \Deleted.
    assert remaining == (["<gone@example.com>"] if "UIDPLUS" in capabilities else [])


def test_messages_a_person_already_read_are_still_picked_up(imap_server):
    imap_server.append(b"From: a@example.com\r\nMessage-ID: <read@example.com>\r\n\r\nx\r\n", flags=r"\Seen")
    imap_server.append(b"From: b@example.com\r\nMessage-ID: <starred@example.com>\r\n\r\nx\r\n", flags=r"\Flagged")
    store = Recorder()

    result = imap_poll(**imap_server.poll_kwargs(), store=store)

    assert result == PollResult(fetched=2, stored=2, failed=0)
    assert store.stored == ["<read@example.com>", "<starred@example.com>"]


def test_limit_caps_one_poll_and_the_rest_follow(mailbox):
    first, second = Recorder(), Recorder()

    assert imap_poll(**mailbox.poll_kwargs(), store=first, limit=2) == PollResult(fetched=2, stored=2, failed=0)
    assert imap_poll(**mailbox.poll_kwargs(), store=second, limit=2) == PollResult(fetched=1, stored=1, failed=0)
    assert first.stored + second.stored == IDS


def test_non_ascii_processed_folder_name(mailbox):
    result = imap_poll(**mailbox.poll_kwargs(), processed_folder="Sudah Dibaca Ä", store=Recorder())

    assert result.stored == 3
    with mailbox.client() as conn:
        typ, folders = conn.list()
    assert any(b'"Sudah Dibaca &AMQ-"' in f for f in folders)


def test_wrong_password_is_a_clear_error(imap_server):
    kwargs = {**imap_server.poll_kwargs(), "password": "wrong"}

    with pytest.raises(MailboxError) as caught:
        imap_poll(**kwargs, store=Recorder())

    assert caught.value.code == "imap_login_failed"
    assert "wrong" not in caught.value.message  # the password is never echoed


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(MailboxError) as caught:
        imap_poll(host="127.0.0.1", port=free_port(), use_tls=False, user="u", password="p", store=Recorder(),
                  timeout=2)

    assert caught.value.code == "imap_unavailable"


@pytest.mark.parametrize(
    ("name", "quoted"),
    [("INBOX", '"INBOX"'), ("Sudah Dibaca", '"Sudah Dibaca"'), ("R&D", '"R&-D"'), ("Ärger", '"&AMQ-rger"'),
     ('a"b', '"a\\"b"')],
)
def test_mailbox_name_quoting(name, quoted):
    assert mailbox_name(name) == quoted
