//! Community activities (社区活动): an event with its date, place and worker, a head count, and a
//! public sign-in. The sign-in QR links to `/s/{token}` where participants write their name and
//! phone without logging in; the phone is stored encrypted and shown masked. Participants count
//! as the larger of the head count (现场清点) and the sign-ins.

use chrono::{Days, NaiveDate};
use domain::ids::Phone;
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

use super::facts::signin_counts;
use super::{WorkerInput, count, one, recordable, required, today, validated, worker};
use crate::audit::Event;
use crate::crypto::Keys;
use crate::entity::{activity, activity_signin, project};
use crate::{Actor, AppError, AppResult, FieldError, Page, PageRequest, db_err, new_id};

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityInput {
    pub title: String,
    pub held_on: Option<NaiveDate>,
    #[serde(default)]
    pub place: String,
    #[serde(flatten)]
    pub worker: WorkerInput,
    /// People counted on site (现场清点人数), 0 when only sign-ins count.
    #[serde(default)]
    pub head_count: i64,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityView {
    pub id: String,
    pub project_id: String,
    pub title: String,
    pub held_on: NaiveDate,
    pub place: String,
    pub worker_member_id: Option<String>,
    pub worker_name: String,
    pub head_count: i32,
    pub signins: u32,
    /// max(head count, sign-ins)
    pub participants: u32,
    pub notes: String,
    /// The public sign-in token (`/s/{token}`).
    pub signin_token: String,
    pub created_ms: i64,
}

/// A sign-in as lists show it (phone masked).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigninView {
    pub id: String,
    pub name: String,
    pub phone_masked: Option<String>,
    pub created_ms: i64,
}

/// What the public sign-in page shows: no personal data.
#[derive(Debug, Clone, Serialize)]
pub struct PublicActivity {
    pub title: String,
    pub held_on: NaiveDate,
    pub place: String,
    pub project_title: String,
    /// Sign-in closes the day after the activity.
    pub open: bool,
}

fn new_token() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    hex::encode(bytes)
}

async fn views<C: ConnectionTrait>(db: &C, rows: Vec<activity::Model>) -> AppResult<Vec<ActivityView>> {
    let n = signin_counts(db, rows.iter().map(|r| r.id.clone()).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let signins = n.get(&r.id).copied().unwrap_or(0);
            ActivityView {
                signins,
                participants: u32::try_from(r.head_count).unwrap_or(0).max(signins),
                id: r.id,
                project_id: r.project_id,
                title: r.title,
                held_on: r.held_on,
                place: r.place,
                worker_member_id: r.worker_member_id,
                worker_name: r.worker_name,
                head_count: r.head_count,
                notes: r.notes,
                signin_token: r.signin_token,
                created_ms: r.created_ms,
            }
        })
        .collect())
}

async fn check<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    input: &ActivityInput,
    now_ms: i64,
    a: &mut activity::ActiveModel,
) -> AppResult<()> {
    let p = recordable(db, actor, project_id).await?;
    let mut e: Vec<FieldError> = Vec::new();
    let title = required(&input.title, 200, "title", "活动名称", &mut e);
    let held_on = match input.held_on {
        None => {
            e.push(FieldError::new("held_on", "活动日期：请填写日期"));
            today(now_ms)
        }
        Some(d) if d < p.start_on => {
            e.push(FieldError::new("held_on", format!("活动日期：不能早于项目开始日期{}", p.start_on)));
            d
        }
        Some(d) => d,
    };
    if input.place.trim().chars().count() > 200 {
        e.push(FieldError::new("place", "活动地点：不超过200字"));
    }
    let (member, name) = worker(&p, actor, &input.worker, &mut e);
    let head = count(input.head_count, 100_000, "head_count", "现场人数", &mut e);
    validated(e)?;
    a.title = Set(title);
    a.held_on = Set(held_on);
    a.place = Set(input.place.trim().to_string());
    a.worker_member_id = Set(member);
    a.worker_name = Set(name);
    a.head_count = Set(head);
    a.notes = Set(input.notes.trim().to_string());
    a.updated_ms = Set(now_ms);
    Ok(())
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    input: &ActivityInput,
    now_ms: i64,
) -> AppResult<ActivityView> {
    let mut a = activity::ActiveModel {
        id: Set(new_id()),
        project_id: Set(project_id.to_string()),
        created_by: Set(actor.user_id.clone()),
        created_ms: Set(now_ms),
        signin_token: Set(new_token()),
        ..Default::default()
    };
    check(db, actor, project_id, input, now_ms, &mut a).await?;
    let v = one(views(db, vec![a.insert(db).await.map_err(db_err)?]).await?)?;
    Event::new(actor, now_ms, "activity.create", "activity", &v.id).after(&v).write(db).await?;
    Ok(v)
}

async fn find<C: ConnectionTrait>(db: &C, project_id: &str, id: &str) -> AppResult<activity::Model> {
    let cols = (activity::Column::Id, activity::Column::ProjectId);
    super::find_in::<activity::Entity, _>(db, cols, project_id, id, "社区活动").await
}

pub async fn update<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    id: &str,
    input: &ActivityInput,
    now_ms: i64,
) -> AppResult<ActivityView> {
    let p = super::project(db, actor, project_id).await?;
    let current = find(db, &p.id, id).await?;
    let before = one(views(db, vec![current.clone()]).await?)?;
    let mut a = current.into_active_model();
    check(db, actor, project_id, input, now_ms, &mut a).await?;
    let v = one(views(db, vec![a.update(db).await.map_err(db_err)?]).await?)?;
    Event::new(actor, now_ms, "activity.update", "activity", id).before(&before).after(&v).write(db).await?;
    Ok(v)
}

/// An activity with its sign-ins (phones masked), oldest first.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    keys: &Keys,
    project_id: &str,
    id: &str,
) -> AppResult<(ActivityView, Vec<SigninView>)> {
    let p = super::project(db, actor, project_id).await?;
    let a = find(db, &p.id, id).await?;
    let rows = activity_signin::Entity::find()
        .filter(activity_signin::Column::ActivityId.eq(a.id.as_str()))
        .order_by_asc(activity_signin::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let mut signins = Vec::with_capacity(rows.len());
    for s in rows {
        let phone_masked = match &s.phone_enc {
            Some(enc) => Some(Phone::parse(&keys.decrypt(enc)?).map(|p| p.masked()).unwrap_or_else(|_| "****".into())),
            None => None,
        };
        signins.push(SigninView { id: s.id, name: s.name, phone_masked, created_ms: s.created_ms });
    }
    Ok((one(views(db, vec![a]).await?)?, signins))
}

/// The project's activities, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: &str,
    page: &PageRequest,
) -> AppResult<Page<ActivityView>> {
    let p = super::project(db, actor, project_id).await?;
    let q = activity::Entity::find().filter(activity::Column::ProjectId.eq(p.id.as_str()));
    let page = super::newest_first(db, q, activity::Column::Id, page, |r| r.id.clone()).await?;
    Ok(Page { items: views(db, page.items).await?, next_cursor: page.next_cursor })
}

async fn by_token<C: ConnectionTrait>(db: &C, token: &str) -> AppResult<activity::Model> {
    if token.len() != 32 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppError::NotFound("签到".into()));
    }
    activity::Entity::find()
        .filter(activity::Column::SigninToken.eq(token))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::NotFound("签到".into()))
}

fn is_open(a: &activity::Model, now_ms: i64) -> bool {
    today(now_ms) <= a.held_on.checked_add_days(Days::new(1)).unwrap_or(a.held_on)
}

/// The public sign-in page's facts for a token (no login; the token is the capability).
pub async fn public<C: ConnectionTrait>(db: &C, token: &str, now_ms: i64) -> AppResult<PublicActivity> {
    let a = by_token(db, token).await?;
    let title: Option<String> = project::Entity::find_by_id(a.project_id.as_str())
        .select_only()
        .column(project::Column::Title)
        .into_tuple()
        .one(db)
        .await
        .map_err(db_err)?;
    Ok(PublicActivity {
        open: is_open(&a, now_ms),
        title: a.title,
        held_on: a.held_on,
        place: a.place,
        project_title: title.unwrap_or_default(),
    })
}

/// A participant signs in with name and phone. Signing in again with the same name and phone
/// changes nothing. Refused after the day following the activity.
pub async fn sign_in<C: ConnectionTrait>(
    db: &C,
    keys: &Keys,
    token: &str,
    name: &str,
    phone: &str,
    now_ms: i64,
) -> AppResult<()> {
    let a = by_token(db, token).await?;
    let mut e: Vec<FieldError> = Vec::new();
    if !is_open(&a, now_ms) {
        e.push(FieldError::new("name", "签到：活动已结束，签到已关闭"));
    }
    let name = required(name, 100, "name", "姓名", &mut e);
    let phone = match Phone::parse(phone.trim()) {
        Ok(p) => Some(p),
        Err(err) => {
            e.push(FieldError::new("phone", err.to_string()));
            None
        }
    };
    validated(e)?;
    let Some(phone) = phone else { return Ok(()) };
    let earlier = activity_signin::Entity::find()
        .filter(activity_signin::Column::ActivityId.eq(a.id.as_str()))
        .filter(activity_signin::Column::Name.eq(name.as_str()))
        .all(db)
        .await
        .map_err(db_err)?;
    for s in &earlier {
        if let Some(enc) = &s.phone_enc
            && keys.decrypt(enc)? == phone.as_str()
        {
            return Ok(());
        }
    }
    let id = new_id();
    activity_signin::ActiveModel {
        id: Set(id.clone()),
        activity_id: Set(a.id.clone()),
        name: Set(name.clone()),
        phone_enc: Set(Some(keys.encrypt(phone.as_str()))),
        created_ms: Set(now_ms),
    }
    .insert(db)
    .await
    .map_err(db_err)?;
    let mut public = Actor::system();
    public.username = "public".into();
    Event::new(&public, now_ms, "activity.signin", "activity", &a.id)
        .after(&serde_json::json!({ "signin_id": id, "name": name, "phone": phone.masked() }))
        .write(db)
        .await
}
