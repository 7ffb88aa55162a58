//! E-mails and SMS the emulator would have sent. Nothing leaves the machine: each message is
//! stored (readable at `GET /_emulator/outbox`) and logged at info level, because reading the
//! code out of the log is how a developer completes a sign-up by hand.

use serde::{Deserialize, Serialize};

/// E-mail or SMS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageKind {
    /// An e-mail.
    Email,
    /// A text message.
    Sms,
}

impl MessageKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            MessageKind::Email => "email",
            MessageKind::Sms => "sms",
        }
    }

    pub(crate) fn parse(s: &str) -> MessageKind {
        if s == "sms" {
            MessageKind::Sms
        } else {
            MessageKind::Email
        }
    }
}

/// One message in the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMessage {
    /// Increasing id (later messages have larger ids).
    pub id: i64,
    /// E-mail or SMS.
    pub kind: MessageKind,
    /// Which message this is, named after the real server's templates: `signUp`, `signUpLink`,
    /// `invite`, `resetPassword`, `qrCode`, `welcome` (e-mails); `twoFactorCode`, `verifyPhone` (SMS).
    pub template: String,
    /// The app it was sent for.
    pub app_id: String,
    /// Recipient: e-mail address or phone number.
    pub to: String,
    /// E-mail subject (none for SMS).
    pub subject: Option<String>,
    /// The message text.
    pub text: String,
    /// The code the message carries (sign-up, invite, reset or SMS code), if any.
    pub code: Option<String>,
    /// The link the message carries (link sign-up flow), if any.
    pub link: Option<String>,
    /// Name of an attached file (`QRCode.png` for Google two-factor set-up), if any.
    pub attachment: Option<String>,
    /// When it was "sent" (ISO-8601 UTC).
    pub created_at: String,
}

/// A message about to be stored.
#[derive(Clone, Debug)]
pub(crate) struct NewMessage {
    pub kind: MessageKind,
    pub template: &'static str,
    pub app_id: String,
    pub to: String,
    pub subject: Option<String>,
    pub text: String,
    pub code: Option<String>,
    pub link: Option<String>,
    pub attachment: Option<String>,
}

impl NewMessage {
    pub(crate) fn email(
        template: &'static str,
        app_id: &str,
        to: &str,
        subject: String,
        text: String,
    ) -> Self {
        NewMessage {
            kind: MessageKind::Email,
            template,
            app_id: app_id.to_owned(),
            to: to.to_owned(),
            subject: Some(subject),
            text,
            code: None,
            link: None,
            attachment: None,
        }
    }

    pub(crate) fn sms(
        template: &'static str,
        app_id: &str,
        to: &str,
        text: String,
        code: i64,
    ) -> Self {
        NewMessage {
            kind: MessageKind::Sms,
            template,
            app_id: app_id.to_owned(),
            to: to.to_owned(),
            subject: None,
            text,
            code: Some(code.to_string()),
            link: None,
            attachment: None,
        }
    }

    pub(crate) fn with_code(mut self, code: i64) -> Self {
        self.code = Some(code.to_string());
        self
    }

    pub(crate) fn with_link(mut self, link: String) -> Self {
        self.link = Some(link);
        self
    }

    pub(crate) fn with_attachment(mut self, name: &str) -> Self {
        self.attachment = Some(name.to_owned());
        self
    }

    /// Logs the message the way a developer wants to see it: who, what, and the code.
    pub(crate) fn log(&self) {
        tracing::info!(
            kind = self.kind.as_str(),
            template = self.template,
            app_id = %self.app_id,
            to = %self.to,
            code = self.code.as_deref().unwrap_or("-"),
            link = self.link.as_deref().unwrap_or("-"),
            "outbox: {}",
            self.subject.as_deref().unwrap_or(&self.text)
        );
    }
}
