//! How GTK draws: without OpenGL (and Vulkan) when no GPU can be reached.
//!
//! Without a GPU render node, GTK's GL renderer runs on Mesa's software
//! rasteriser (llvmpipe), which maps about 50 MiB of driver into the
//! process and spends more CPU per frame than GTK's cairo renderer does for
//! a chat window. Where there is no GPU (a VM without 3D, a remote session,
//! Xvfb) Warbler therefore tells GTK not to use GL, before GTK starts. The
//! user's own renderer choice always wins.

use std::path::Path;

/// The environment variables to set before GTK starts, as `(name, value)`.
///
/// `var` reads the current environment, `gpu` says whether a GPU render
/// node is reachable and `gtk_minor` is GTK 4's minor version: 4.16
/// replaced the `gl-disable` debug flag with `GDK_DISABLE`.
pub fn without_gpu_settings(
    var: impl Fn(&str) -> Option<String>,
    gpu: bool,
    gtk_minor: u32,
) -> Vec<(&'static str, String)> {
    let set = |name: &str| var(name).filter(|value| !value.is_empty());
    // Only a GPU renderer conflicts: with cairo chosen GTK still loads GL.
    let gpu_renderer = set("GSK_RENDERER").is_some_and(|renderer| renderer != "cairo");
    if gpu || gpu_renderer || set("GDK_DISABLE").is_some() {
        return Vec::new();
    }
    if gtk_minor >= 16 {
        return vec![("GDK_DISABLE", "gl,vulkan".to_owned())];
    }
    let debug = match set("GDK_DEBUG") {
        Some(flags) if flags.split([',', ':', ' ']).any(|f| f.starts_with("gl")) => {
            return Vec::new();
        }
        Some(flags) => format!("{flags},gl-disable"),
        None => "gl-disable".to_owned(),
    };
    vec![("GDK_DEBUG", debug)]
}

/// Whether `dri` (normally `/dev/dri`) holds a render node, which every
/// GPU driver that GL or Vulkan can use provides.
pub fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// Applies [`without_gpu_settings`] to this process.
///
/// # Safety
/// Call before any other thread exists (it changes the environment).
#[allow(unsafe_code)] // GTK reads these only from the environment
pub unsafe fn choose_renderer() {
    let gpu = has_render_node(Path::new("/dev/dri"));
    let minor = relm4::gtk::minor_version();
    for (name, value) in without_gpu_settings(|name| std::env::var(name).ok(), gpu, minor) {
        tracing::info!("No GPU render node: drawing without OpenGL ({name}={value})");
        // SAFETY: the caller guarantees no other thread is running.
        unsafe { std::env::set_var(name, value) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(env: &[(&str, &str)], gpu: bool, minor: u32) -> Vec<(&'static str, String)> {
        let var = |name: &str| {
            env.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        };
        without_gpu_settings(var, gpu, minor)
    }

    #[test]
    fn a_gpu_keeps_gtk_defaults() {
        assert!(settings(&[], true, 8).is_empty());
        assert!(settings(&[], true, 20).is_empty());
    }

    #[test]
    fn without_a_gpu_gl_is_disabled_the_way_the_gtk_version_reads_it() {
        assert_eq!(
            settings(&[], false, 8),
            [("GDK_DEBUG", "gl-disable".into())]
        );
        assert_eq!(
            settings(&[], false, 20),
            [("GDK_DISABLE", "gl,vulkan".into())]
        );
    }

    #[test]
    fn other_debug_flags_are_kept() {
        assert_eq!(
            settings(&[("GDK_DEBUG", "events")], false, 8),
            [("GDK_DEBUG", "events,gl-disable".into())]
        );
    }

    #[test]
    fn the_users_own_choice_wins() {
        assert!(settings(&[("GSK_RENDERER", "ngl")], false, 8).is_empty());
        assert!(settings(&[("GDK_DISABLE", "vulkan")], false, 20).is_empty());
        assert!(settings(&[("GDK_DEBUG", "gl-software")], false, 8).is_empty());
    }

    #[test]
    fn a_chosen_cairo_renderer_still_spares_the_software_driver() {
        assert_eq!(
            settings(&[("GSK_RENDERER", "cairo")], false, 8),
            [("GDK_DEBUG", "gl-disable".into())]
        );
    }

    #[test]
    fn a_render_node_is_found_among_the_dri_devices() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("card0"), "").expect("write");
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("renderD128"), "").expect("write");
        assert!(has_render_node(dir.path()));
        assert!(!has_render_node(&dir.path().join("missing")));
    }
}
