# animat.bash -- bash completion for the animat command line (installed by
# meson install as share/bash-completion/completions/animat; or source it).
# Completes commands, each command's options, plot kinds, plugin names and
# file names by extension.

_animat() {
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi
    local commands="run check train eval sweep rerun render view plot report export analyze plugins new plugin-check help version"
    if [[ $cword -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    local cmd=${words[1]}
    local runopts="--set --episodes --seed --theta --plugin --quiet --help"
    local opts
    case $cmd in
        run) opts="$runopts --trace --record" ;;
        check) opts="$runopts" ;;
        train) opts="$runopts --epochs --threads --resume --record" ;;
        rerun) opts="--plugin --quiet --help" ;;
        render) opts="-o --size --overlay --set --episodes --theta --plugin --quiet --help" ;;
        view) opts="--size --speed --frames --screenshot --set --episodes --units --help" ;;
        plot) opts="-o --signal --episode --from --to --size --help" ;;
        report) opts="-o --video --quiet --help" ;;
        export) opts="-o --quiet --help" ;;
        plugins) opts="info --set --help" ;;
        plugin-check) opts="--set --seed --timeout --quiet --help" ;;
        help) COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
        *) return ;;
    esac
    case $prev in
        --theta) COMPREPLY=($(compgen -f -X '!*.yaml' -- "$cur") $(compgen -d -- "$cur")); return ;;
        --plugin) COMPREPLY=($(compgen -f -X '!*.so' -- "$cur") $(compgen -d -- "$cur")); return ;;
        --record) COMPREPLY=($(compgen -f -X '!*.@(h5|nwb)' -- "$cur") $(compgen -d -- "$cur")); return ;;
        --video) COMPREPLY=($(compgen -f -X '!*.@(mp4|webm|ogv)' -- "$cur") $(compgen -d -- "$cur")); return ;;
        -o|--trace) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --set|--episodes|--seed|--epochs|--threads|--size|--signal|--episode|--from|--to|--timeout|--units) return ;;
        info) COMPREPLY=($(compgen -W "$(animat plugins 2>/dev/null | awk 'NR>1 {print $2}')" -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    if [[ $cmd == plot && $cword -ge 3 && ${words[2]} == *.@(h5|nwb) && $cword -eq 3 ]]; then
        COMPREPLY=($(compgen -W "curve activity kymograph trajectory raster" -- "$cur"))
        return
    fi
    case $cmd in
        rerun|report|export) COMPREPLY=($(compgen -f -X '!*.h5' -- "$cur") $(compgen -d -- "$cur")) ;;
        plot) COMPREPLY=($(compgen -f -X '!*.@(h5|nwb)' -- "$cur") $(compgen -d -- "$cur")) ;;
        view) COMPREPLY=($(compgen -f -X '!*.@(yaml|yml|h5)' -- "$cur") $(compgen -d -- "$cur")) ;;
        plugin-check) COMPREPLY=($(compgen -f -X '!*.so' -- "$cur") $(compgen -d -- "$cur")) ;;
        plugins) COMPREPLY=($(compgen -W "info" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -f -X '!*.@(yaml|yml)' -- "$cur") $(compgen -d -- "$cur")) ;;
    esac
}
complete -o filenames -F _animat animat
