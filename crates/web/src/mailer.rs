//! E-mail notifications: the outbox (`db::notifications`) drained over SMTP when configured.
//!
//! `GONGYI_SMTP_URL` takes lettre's URL form: `smtps://user:pass@smtp.example.cn:465` (implicit
//! TLS), `smtp://user:pass@host:587?tls=required` (STARTTLS) or `smtp://host:25` (plain, for a
//! relay on the same network). Sending never blocks a request: the worker runs every 30 seconds.

use std::sync::Arc;
use std::time::Duration;

use db::notifications::{OutgoingEmail, mark_email, pending_emails};
use domain::clock::Clock;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::DatabaseConnection;

/// SMTP settings.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub url: String,
    /// The sender, e.g. `公益平台 <noreply@example.cn>`.
    pub from: String,
}

/// Something that delivers one e-mail (SMTP in production, a recorder in tests).
pub trait Sender: Send + Sync {
    fn send(&self, mail: &OutgoingEmail) -> impl std::future::Future<Output = Result<(), String>> + Send;
}

pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl Smtp {
    pub fn new(config: &SmtpConfig) -> Result<Smtp, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.url)
            .map_err(|e| format!("GONGYI_SMTP_URL：{e}"))?
            .build();
        let from = config.from.parse().map_err(|e| format!("GONGYI_SMTP_FROM：{e}"))?;
        Ok(Smtp { transport, from })
    }
}

impl Sender for Smtp {
    async fn send(&self, mail: &OutgoingEmail) -> Result<(), String> {
        let to = mail.to.parse().map_err(|e| format!("收件人 {}：{e}", mail.to))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| e.to_string())?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }
}

/// Send what is pending (at most `limit`); returns how many were sent.
pub async fn drain<S: Sender>(db: &DatabaseConnection, sender: &S, clock: &dyn Clock, limit: u64) -> usize {
    let mails = match pending_emails(db, limit).await {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!(error = %e, "email outbox");
            return 0;
        }
    };
    let mut sent = 0;
    for mail in &mails {
        let outcome = sender.send(mail).await;
        if outcome.is_ok() {
            sent += 1;
        } else if let Err(e) = &outcome {
            tracing::warn!(to = %mail.to, error = %e, "email not sent");
        }
        if let Err(e) = mark_email(db, mail, outcome, clock.now().timestamp_millis()).await {
            tracing::warn!(error = %e, "email outbox");
        }
    }
    sent
}

/// Drain the outbox every 30 seconds while the server runs.
pub fn spawn(db: DatabaseConnection, clock: Arc<dyn Clock>, config: SmtpConfig) -> Result<(), String> {
    let smtp = Smtp::new(&config)?;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(30));
        loop {
            tick.tick().await;
            drain(&db, &smtp, clock.as_ref(), 50).await;
        }
    });
    Ok(())
}
