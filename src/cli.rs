//! Commands of the `gongyi` binary.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, anyhow};
use clap::{Args, Parser, Subcommand};
use db::{Actor, DatabaseConnection};
use domain::clock::{Clock, SystemClock};
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Settings;

#[derive(Debug, Parser)]
#[command(
    name = "gongyi",
    version,
    about = "公益 Gongyi: government-purchased social-work services and public-welfare venture grants"
)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct Common {
    /// Address to listen on.
    #[arg(long, env = "GONGYI_BIND", global = true)]
    pub bind: Option<String>,
    /// Directory for the SQLite file and uploaded files.
    #[arg(long, env = "GONGYI_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// sqlite://…, postgres://… or mysql://… (default: SQLite in the data directory).
    #[arg(long, env = "GONGYI_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// A TOML file with bind, data_dir, database_url, secure_cookies.
    #[arg(long, env = "GONGYI_CONFIG", global = true)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Run database migrations and exit.
    Migrate,
    /// Load the demo data (the five programs, organizations, one user per role) into an empty database.
    Demo {
        /// Also generate N synthetic organizations (and N/100 programs) for benchmarks.
        #[arg(long)]
        synthetic: Option<usize>,
    },
    /// Administrative areas.
    #[command(subcommand)]
    Areas(AreasCommand),
    /// The working-day calendar.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Users.
    #[command(subcommand)]
    User(UserCommand),
    /// Verified visits.
    #[command(subcommand)]
    Visits(VisitsCommand),
}

#[derive(Debug, Subcommand)]
pub enum VisitsCommand {
    /// Recompute every person's visit tally (what output progress counts) from the visits.
    Retally,
}

#[derive(Debug, Subcommand)]
pub enum AreasCommand {
    /// Load the whole country's division codes (to street level) shipped in the binary.
    Load,
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Print the last day (YYYY-MM-DD) of a public notice period.
    NoticeEnd {
        /// Publication date, YYYY-MM-DD.
        #[arg(long)]
        published: chrono::NaiveDate,
        /// Length in working days (holidays off, make-up workdays on).
        #[arg(long, conflicts_with = "days")]
        working_days: Option<u32>,
        /// Length in calendar days.
        #[arg(long)]
        days: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user. The password is read from GONGYI_NEW_PASSWORD or generated and printed.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// sys_admin, funder_admin, co_funder, operator, area_officer, org_admin, org_staff, field_worker, reviewer, evaluator
        #[arg(long)]
        role: String,
        #[arg(long)]
        organization_id: Option<String>,
        #[arg(long)]
        area_code: Option<String>,
        /// Program scope (the program's id).
        #[arg(long)]
        program_id: Option<String>,
    },
    /// Set a new password. Read from GONGYI_NEW_PASSWORD or generated and printed.
    ResetPassword {
        #[arg(long)]
        username: String,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    init_tracing();
    let c = &cli.common;
    let settings = Settings::resolve(c.bind.clone(), c.data_dir.clone(), c.database_url.clone(), c.config.as_deref())?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            open(&settings).await?;
            println!("数据库迁移完成 / migrations applied");
            Ok(())
        }
        Command::Demo { synthetic } => {
            let db = open(&settings).await?;
            db::persons::check_key(&db, &data_keys(&settings)?).await?;
            if db::demo::is_empty(&db).await? {
                load_demo(&db).await?;
                let keys = data_keys(&settings)?;
                db::demo_projects::load_records(&db, &keys, SystemClock.now().timestamp_millis()).await?;
            } else if synthetic.is_none() {
                return Err(anyhow!("数据库中已有数据，演示数据只能载入空数据库 / the database is not empty"));
            }
            if let Some(n) = synthetic {
                let bar = progress_bar(n as u64, "合成数据");
                db::synthetic::generate(&db, n, SystemClock.now().timestamp_millis(), |done, total| {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                })
                .await?;
                bar.finish_and_clear();
                println!("已生成 {n} 个合成组织与 {} 个合成计划", (n / 100).max(1));
            }
            Ok(())
        }
        Command::Visits(VisitsCommand::Retally) => {
            let db = open(&settings).await?;
            let n = db::visits::tally::rebuild_all(&db).await?;
            println!("已重新统计 {n} 名服务对象的探访记录");
            Ok(())
        }
        Command::Areas(AreasCommand::Load) => {
            let db = open(&settings).await?;
            let rows = db::areas::shipped_rows();
            let bar = progress_bar(rows.len() as u64, "区划");
            let added = db::areas::load(&db, &rows, |done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            })
            .await?;
            bar.finish_and_clear();
            println!("已载入 {added} 个区划（共 {} 个）", rows.len());
            Ok(())
        }
        Command::Calendar(CalendarCommand::NoticeEnd { published, working_days, days }) => {
            let rule = match (working_days, days) {
                (Some(n), None) => domain::rules::NoticeRule::WorkingDays(n),
                (None, Some(n)) => domain::rules::NoticeRule::CalendarDays(n),
                _ => return Err(anyhow!("请给出 --working-days N 或 --days N")),
            };
            // the calendar as stored (an admin may have added a year), else the shipped one
            let calendar = match open(&settings).await {
                Ok(db) => {
                    db::calendar::load(&db).await.unwrap_or_else(|_| domain::calendar::HolidayCalendar::official())
                }
                Err(_) => domain::calendar::HolidayCalendar::official(),
            };
            let period = calendar.notice_period(published, rule)?;
            println!("{}", period.end);
            Ok(())
        }
        Command::User(cmd) => user_command(&settings, cmd).await,
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("GONGYI_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

fn progress_bar(len: u64, label: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(label);
    bar
}

/// Connect, migrate, seed the official calendar.
async fn open(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    if settings.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("创建数据目录 {}", settings.data_dir.display()))?;
    }
    let db = db::connect(&settings.database_url)
        .await
        .with_context(|| format!("连接数据库 {}", redact(&settings.database_url)))?;
    db::migrate(&db).await.context("数据库迁移")?;
    db::calendar::seed_official(&db, SystemClock.now().timestamp_millis()).await?;
    Ok(db)
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

/// The data keys for personal identifiers: GONGYI_DATA_KEY, else `<data_dir>/data.key` (created
/// on first start).
fn data_keys(settings: &Settings) -> anyhow::Result<db::crypto::Keys> {
    let configured = std::env::var("GONGYI_DATA_KEY").ok();
    Ok(db::crypto::load_or_create_key(&settings.data_dir, configured.as_deref())?)
}

async fn load_demo(db: &DatabaseConnection) -> anyhow::Result<()> {
    let (password, printed) = match std::env::var("GONGYI_DEMO_PASSWORD") {
        Ok(p) if !p.is_empty() => (p, false),
        _ => (db::passwords::random_password(), true),
    };
    let hash = db::passwords::hash_password(&password)?;
    let steps = ["区划 areas", "组织 organizations", "计划 programs", "用户 users"];
    let bar = progress_bar(steps.len() as u64, "载入演示数据");
    let report = db::demo::load(db, &hash, SystemClock.now().timestamp_millis(), |step| {
        bar.set_message(format!("载入演示数据：{step}"));
        bar.inc(1);
    })
    .await?;
    bar.finish_and_clear();
    println!(
        "演示数据已载入：{} 个计划、{} 个项目清单条目、{} 个组织、{} 个区划、{} 个用户",
        report.programs, report.call_items, report.organizations, report.areas, report.users
    );
    let users: Vec<String> = db::demo::demo_usernames().into_iter().map(|(u, _)| u).collect();
    println!("演示账号 / demo users: {}", users.join(", "));
    if printed {
        println!("演示账号密码（只显示这一次）/ demo password (shown once): {password}");
    } else {
        println!("演示账号密码为 GONGYI_DEMO_PASSWORD 的值 / demo password: the value of GONGYI_DEMO_PASSWORD");
    }
    Ok(())
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let db = open(&settings).await?;
    let fresh = db::demo::is_empty(&db).await?;
    if fresh {
        println!("空数据库：载入五个计划的演示数据 / empty database: loading the demo data");
        load_demo(&db).await?;
    }
    let keys = data_keys(&settings)?;
    db::persons::check_key(&db, &keys).await?;
    if fresh {
        db::demo_projects::load_records(&db, &keys, SystemClock.now().timestamp_millis()).await?;
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let state = web::AppState::new(
        db.clone(),
        clock.clone(),
        web::Config {
            secure_cookies: settings.secure_cookies,
            data_dir: settings.data_dir.clone(),
            smtp: settings.smtp.clone(),
        },
        Arc::new(keys),
    );
    match &settings.smtp {
        Some(smtp) => {
            web::mailer::spawn(db.clone(), clock.clone(), smtp.clone()).map_err(|e| anyhow::anyhow!(e))?;
            println!("邮件通知已开启 / e-mail notifications on");
        }
        None => println!("未配置 GONGYI_SMTP_URL：只发站内通知 / no SMTP: in-app notifications only"),
    }
    let app = web::router(state);
    // scheduled work (closing public notices) lives in the jobs table; every instance may run it
    db::jobs::spawn_worker(db.clone(), clock.clone());
    let listener =
        tokio::net::TcpListener::bind(&settings.bind).await.with_context(|| format!("监听 {}", settings.bind))?;
    let purge_db = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            let _ = db::auth::purge_expired(&purge_db, clock.now().timestamp_millis()).await;
        }
    });
    println!("公益 Gongyi 已启动：http://{}/  （用户名 admin 等，见 README）", settings.bind);
    println!("Gongyi is serving on http://{}/ — log in as admin (see README for the demo users)", settings.bind);
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    db.close().await.ok();
    println!("已停止 / stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

async fn user_command(settings: &Settings, cmd: UserCommand) -> anyhow::Result<()> {
    let db = open(settings).await?;
    let now = SystemClock.now().timestamp_millis();
    let (password, generated) = match std::env::var("GONGYI_NEW_PASSWORD") {
        Ok(p) if !p.is_empty() => (p, false),
        _ => (db::passwords::random_password(), true),
    };
    let actor = Actor::system();
    match cmd {
        UserCommand::Create { username, display_name, role, organization_id, area_code, program_id } => {
            let input = db::users::UserInput {
                username: username.clone(),
                display_name,
                role,
                organization_id,
                area_code,
                program_id,
                password: Some(password.clone()),
                active: Some(true),
            };
            db::users::create(&db, &actor, &input, now).await?;
            println!("已创建用户 {username}");
        }
        UserCommand::ResetPassword { username } => {
            db::users::reset_password(&db, &actor, &username, &password, now).await?;
            println!("已重置用户 {username} 的密码，其所有登录会话已失效");
        }
    }
    if generated {
        println!("新密码（只显示这一次）: {password}");
    }
    Ok(())
}
