//! `invite` and `register` (an invited user signs up with the e-mailed code).

use super::{
    FieldError, check_status, collect_fields, find_user, load_app, locale_param, login_reply,
    md5_param, normalized, numeric_code, parse_metadata,
};
use crate::core::{Core, can_mint_user_jwt, random_code};
use crate::outbox::NewMessage;
use crate::reply::{Code, Reply, RouteResult, fail, hang};
use crate::request::{ApiRequest, Param, Scope};
use crate::store::{self, InviteInput, NewUser};

/// `POST invite` (3.6 #10). Deliberately the pre-2023-10-25 behaviour: the invitee is the
/// `handle` parameter (HEAD's regression invites the inviter instead, which makes the flow
/// unusable) and an already registered invitee gets 601.
pub(crate) async fn invite(core: &Core, req: &ApiRequest) -> RouteResult {
    let sender_user_id = req.body("senderUserId");
    if !req.body("handle").is_present() || !sender_user_id.is_present() || req.auth.app_id.is_none()
    {
        return fail(Code::MissingParam);
    }
    let Some(sender) = req.auth.handle.clone() else {
        return fail(Code::MissingParam);
    };
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    check_status(&app)?;
    if !app.settings.invitation_enabled {
        return fail(Code::InviteNotSupported);
    }
    // Unparsable metadata is 604 whether or not the app has invite fields (3.6 #10).
    let Ok(given) = parse_metadata(req.body("metaData")) else {
        return fail(Code::InvalidMetadata);
    };
    let metadata = collect_fields(&app.settings.meta_data_invite, given.as_ref())
        .or_else(|_| fail(Code::InvalidMetadata))?;
    let handle = normalized(req.body("handle"))?;
    if find_user(core, &app.app_id, &handle).await?.is_some() {
        return fail(Code::HandleRegistered);
    }
    let sender_user_id = match sender_user_id {
        Param::Text(s) => s.to_owned(),
        Param::Other(v) => v.to_json_string(),
        Param::Missing => String::new(),
    };
    let (app_id, h, now) = (app.app_id.clone(), handle.clone(), core.clock.now_ms());
    let sender_for_tx = sender.clone();
    let code = core
        .store
        .tx(move |tx| {
            store::upsert_invite(
                tx,
                &InviteInput {
                    app_id: &app_id,
                    handle: &h,
                    sender_handle: &sender_for_tx,
                    sender_user_id: &sender_user_id,
                    metadata: &metadata,
                    fresh_code: random_code(),
                },
                now,
            )
        })
        .await?;
    let name = &app.settings.name;
    core.send(
        NewMessage::email(
            "invite",
            &app.app_id,
            &handle,
            format!("{name}: you are invited"),
            format!("{sender} has invited your {handle} account to {name}!\nHere is your register key: {code}\nSincerely,\n{name}"),
        )
        .with_code(code),
    )
    .await?;
    Reply::ok_true()
}

/// `POST register` (3.6 #11).
pub(crate) async fn register(core: &Core, req: &ApiRequest) -> RouteResult {
    let complete = req.body("handle").is_present()
        && req.body("password").is_present()
        && req.auth.app_id.is_some()
        && req.body("code").is_present();
    if !complete {
        if req.auth.scope != Some(Scope::App) {
            return fail(Code::MissingParam);
        }
        // With an app token the missing-parameter check is skipped and the server throws.
        return hang(
            "register with an app token and a missing parameter makes the server throw",
            Code::MissingParam,
        );
    }
    let password = md5_param(req.body("password"))?;
    let code = numeric_code(req, "code")?;
    let app = load_app(core, req.auth.app_id.as_deref()).await?;
    check_status(&app)?;
    if !app.settings.invitation_enabled {
        return fail(Code::InviteNotSupported);
    }
    let handle = normalized(req.body("handle"))?;
    let (app_id, h) = (app.app_id.clone(), handle.clone());
    let invite = core
        .store
        .run(move |c| store::find_invite(c, &app_id, &h, code))
        .await?;
    let Some(invite) = invite else {
        return fail(Code::InvalidData);
    };
    if invite.status != "pending" {
        return fail(Code::HandleRegistered);
    }
    if find_user(core, &app.app_id, &handle).await?.is_some() {
        return fail(Code::HandleRegistered);
    }
    let locale = locale_param(&app, req.body("locale"), false)?;
    let Ok(given) = parse_metadata(req.body("metaData")) else {
        return fail(Code::InvalidData);
    };
    let mut metadata = match collect_fields(&app.settings.meta_data, given.as_ref()) {
        Ok(m) => m,
        Err(FieldError::RequiredMissing | FieldError::NotText) => {
            return fail(Code::InvalidMetadata);
        }
    };
    metadata.merge(&invite.metadata);
    // The invite's metadata may overwrite a required field: check what will be stored, by the
    // user JWT's own rule, before storing it.
    if !can_mint_user_jwt(&app.settings, &handle, &metadata) {
        return fail(Code::InvalidMetadata);
    }
    let password_hash = core.hash_password(password).await?;
    let now = core.clock.now_ms();
    let new = NewUser {
        app_id: app.app_id.clone(),
        handle,
        password_hash: Some(password_hash),
        locale,
        metadata,
        login_provider: String::new(),
        provider_sub: None,
    };
    let invite_id = invite.id;
    let user = core
        .store
        .tx(move |tx| {
            // Re-checked inside the transaction: two registrations with the same code race here.
            let still_pending = store::find_invite(tx, &new.app_id, &new.handle, invite.code)?
                .is_some_and(|i| i.id == invite_id && i.status == "pending");
            if !still_pending {
                return Ok(None);
            }
            let user = store::insert_user(tx, &new, now)?;
            if user.is_some() {
                store::mark_invite_verified(tx, invite_id, now)?;
            }
            Ok(user)
        })
        .await?;
    let Some(user) = user else {
        return fail(Code::HandleRegistered);
    };
    login_reply(core, &app, &user).await
}
