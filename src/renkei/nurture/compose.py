"""A template rendered for one recipient: personalized subject and bodies, tracked links,
the legal footer (特定電子メール法 §4: sender, postal address, contact point, opt-out) and
the RFC 8058 one-click unsubscribe headers."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formataddr, make_msgid

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from renkei.contacts.models import Contact
from renkei.nurture import links, rendering
from renkei.nurture.models import EmailTemplate, SenderIdentity


class SenderIncomplete(Exception):
    """The sender identity lacks what the law requires in every message."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            _("Complete the sender identity before sending (required by law): %(fields)s.")
            % {"fields": ", ".join(missing)}
        )


@dataclass
class Rendered:
    subject: str
    html: str
    text: str
    language: str


def render_for(
    template: EmailTemplate,
    contact: Contact | None,
    *,
    language: str,
    sender: SenderIdentity,
    message_id: int = 0,
    track: bool = True,
) -> Rendered:
    """The message one contact receives (a preview when message_id is 0)."""
    language = template.language_for(language)
    subject, html, text = template.part(language)
    subject = " ".join(rendering.render(subject, contact, html=False).split())
    body_html = rendering.render(html, contact, html=True) if html.strip() else ""
    if text.strip():
        body_text = rendering.render(text, contact, html=False)
    else:
        body_text = rendering.html_to_text(body_html)
    unsubscribe = links.unsubscribe_url(message_id)
    context = {
        "sender_name": sender.name_for(language),
        "postal_address": sender.address_for(language),
        "contact_point": sender.contact_point,
        "email": contact.email if contact else "",
        "unsubscribe_url": unsubscribe,
    }
    with translation.override(language):
        footer_text = render_to_string("nurture/email/footer.txt", context).strip()
        footer_html = render_to_string("nurture/email/footer.html", context).strip()
    if body_html:
        if track and message_id:
            body_html = rendering.rewrite_links(
                body_html, lambda url: links.click_url(message_id, url)
            )
        pixel = (
            f'<img src="{links.open_url(message_id)}" width="1" height="1" alt="" '
            'style="display:block;border:0">'
            if track and message_id
            else ""
        )
        body_html = render_to_string(
            "nurture/email/layout.html",
            {"body": body_html, "footer": footer_html, "pixel": pixel, "language": language},
        )
    return Rendered(
        subject=subject,
        html=body_html,
        text=f"{body_text.rstrip()}\n\n-- \n{footer_text}\n",
        language=language,
    )


def build_email(
    rendered: Rendered,
    *,
    to: str,
    sender: SenderIdentity,
    message_id: int,
    header_message_id: str = "",
) -> EmailMultiAlternatives:
    """The MIME message with From, Reply-To, Message-ID and List-Unsubscribe headers."""
    if sender.missing:
        raise SenderIncomplete(sender.missing)
    domain = sender.from_email.rpartition("@")[2]
    unsubscribe_mailbox = sender.unsubscribe_email or sender.from_email
    headers = {
        "Message-ID": header_message_id or make_msgid(domain=domain),
        "List-Unsubscribe": (
            f"<{links.unsubscribe_url(message_id)}>, "
            f"<mailto:{unsubscribe_mailbox}?subject=unsubscribe>"
        ),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    email = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=formataddr((sender.name_for(rendered.language), sender.from_email)),
        to=[to],
        reply_to=[sender.reply_to] if sender.reply_to else None,
        headers=headers,
    )
    if rendered.html:
        email.attach_alternative(rendered.html, "text/html")
    return email
