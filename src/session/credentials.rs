//! Account passwords in the Secret Service (the desktop keyring, or the
//! secret portal inside Flatpak). Passwords are never written to a plain
//! file or to the database.

use crate::session::ConnectError;

/// Attribute naming the application in keyring items.
const APP_ATTRIBUTE: (&str, &str) = ("application", "io.github.warbler_im.Warbler");

/// How long to wait for the Secret Service to answer at all.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Handle to the user's keyring.
#[derive(Debug, Clone, Default)]
pub(crate) struct Credentials;

fn keyring_error(error: oo7::Error) -> ConnectError {
    ConnectError::Keyring {
        detail: error.to_string(),
    }
}

impl Credentials {
    async fn keyring() -> Result<oo7::Keyring, ConnectError> {
        // Reaching the service must be quick; only an unlock prompt (below)
        // may take as long as the user needs.
        let keyring = tokio::time::timeout(CONNECT_TIMEOUT, oo7::Keyring::new())
            .await
            .map_err(|_| ConnectError::Keyring {
                detail: "no Secret Service answered".to_owned(),
            })?
            .map_err(keyring_error)?;
        if keyring.is_locked().await.map_err(keyring_error)? {
            keyring.unlock().await.map_err(keyring_error)?;
        }
        Ok(keyring)
    }

    /// Store (or replace) the password of `account`.
    pub(crate) async fn store(&self, account: &str, password: &str) -> Result<(), ConnectError> {
        let keyring = Self::keyring().await?;
        let attributes = [APP_ATTRIBUTE, ("xmpp-account", account)];
        keyring
            .create_item(
                &format!("XMPP account {account}"),
                &attributes,
                password,
                true,
            )
            .await
            .map_err(keyring_error)
    }

    /// The password of `account`, if one is stored.
    pub(crate) async fn load(&self, account: &str) -> Result<Option<String>, ConnectError> {
        let keyring = Self::keyring().await?;
        let attributes = [APP_ATTRIBUTE, ("xmpp-account", account)];
        let items = keyring
            .search_items(&attributes)
            .await
            .map_err(keyring_error)?;
        let Some(item) = items.first() else {
            return Ok(None);
        };
        if item.is_locked().await.map_err(keyring_error)? {
            item.unlock().await.map_err(keyring_error)?;
        }
        let secret = item.secret().await.map_err(keyring_error)?;
        String::from_utf8(secret.as_bytes().to_vec())
            .map(Some)
            .map_err(|_| ConnectError::Keyring {
                detail: "the stored password is not valid UTF-8".to_owned(),
            })
    }

    /// Forget the password of `account`.
    pub(crate) async fn delete(&self, account: &str) -> Result<(), ConnectError> {
        let keyring = Self::keyring().await?;
        let attributes = [APP_ATTRIBUTE, ("xmpp-account", account)];
        keyring.delete(&attributes).await.map_err(keyring_error)
    }
}
