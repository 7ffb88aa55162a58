//! A signed-in user's calls without passing the session each time.

use serde_json::Value;

use super::{AccountProof, Client, Error, GoogleTwoFactor, Session, User};

/// A [`Client`] together with one user's [`Session`]: the calls that need a signed-in user, as
/// methods. Made by [`Client::signed_in`]; as cheap to clone as the client.
///
/// ```no_run
/// # async fn demo(client: cosync_runtime::Client, session: cosync_runtime::Session) -> Result<(), cosync_runtime::Error> {
/// let me = client.signed_in(session);
/// me.set_locale("FR").await?;
/// let user = me.get_user().await?;
/// # let _ = user; Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct SignedIn {
    client: Client,
    session: Session,
}

impl SignedIn {
    pub(super) fn new(client: Client, session: Session) -> Self {
        SignedIn { client, session }
    }

    /// The session.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Gives the session back (e.g. to store it).
    pub fn into_session(self) -> Session {
        self.session
    }

    /// See [`Client::get_user`].
    pub async fn get_user(&self) -> Result<User, Error> {
        self.client.get_user(&self.session).await
    }

    /// See [`Client::invite`].
    pub async fn invite(
        &self,
        handle: &str,
        sender_user_id: &str,
        metadata: Option<&Value>,
    ) -> Result<(), Error> {
        self.client
            .invite(&self.session, handle, sender_user_id, metadata)
            .await
    }

    /// See [`Client::change_password`].
    pub async fn change_password(&self, current: &str, new: &str) -> Result<(), Error> {
        self.client
            .change_password(&self.session, current, new)
            .await
    }

    /// See [`Client::user_name_available`].
    pub async fn user_name_available(&self, user_name: &str) -> Result<bool, Error> {
        self.client
            .user_name_available(&self.session, user_name)
            .await
    }

    /// See [`Client::set_user_name`].
    pub async fn set_user_name(&self, user_name: &str) -> Result<(), Error> {
        self.client.set_user_name(&self.session, user_name).await
    }

    /// See [`Client::set_locale`].
    pub async fn set_locale(&self, locale: &str) -> Result<(), Error> {
        self.client.set_locale(&self.session, locale).await
    }

    /// See [`Client::set_user_metadata`].
    pub async fn set_user_metadata(&self, metadata: &Value) -> Result<(), Error> {
        self.client.set_user_metadata(&self.session, metadata).await
    }

    /// See [`Client::set_phone`].
    pub async fn set_phone(&self, phone: &str) -> Result<(), Error> {
        self.client.set_phone(&self.session, phone).await
    }

    /// See [`Client::verify_phone`].
    pub async fn verify_phone(&self, code: &str) -> Result<(), Error> {
        self.client.verify_phone(&self.session, code).await
    }

    /// See [`Client::set_two_factor_phone`].
    pub async fn set_two_factor_phone(
        &self,
        enabled: bool,
    ) -> Result<Option<GoogleTwoFactor>, Error> {
        self.client
            .set_two_factor_phone(&self.session, enabled)
            .await
    }

    /// See [`Client::set_two_factor_google`].
    pub async fn set_two_factor_google(
        &self,
        enabled: bool,
    ) -> Result<Option<GoogleTwoFactor>, Error> {
        self.client
            .set_two_factor_google(&self.session, enabled)
            .await
    }

    /// See [`Client::delete_account`].
    pub async fn delete_account(&self, proof: AccountProof<'_>) -> Result<(), Error> {
        self.client.delete_account(&self.session, proof).await
    }
}
