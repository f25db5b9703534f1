#!/usr/bin/env python3
"""Writes the three animal models of the mjcf body (lamprey.xml, hexapod.xml,
zebrafish.xml) next to this script. The models are committed; rerun this
after changing a number here:  python3 bodies/mjcf/models/animals.py
Port conventions are in docs/animals.md."""
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def chain(names, length, radii, heights, masses, rng_deg, indent, joint_extra=""):
    """Nested segment bodies along +y (the head points along -y), one hinge
    about z each, named seg_K / joint_K. Returns the XML lines."""
    out, pad = [], indent
    for k, name in enumerate(names):
        r, hgt, m = radii[k], heights[k], masses[k]
        out.append(f'{pad}<body name="{name}" pos="0 {length:.4g} 0">')
        out.append(f'{pad}  <joint name="joint_{k}" range="-{rng_deg} {rng_deg}"{joint_extra}/>')
        out.append(f'{pad}  <geom name="{name}" class="visual" size="{r:.4g}" '
                   f'fromto="0 -{length / 2:.4g} 0 0 {length / 2:.4g} 0"/>')
        out.append(f'{pad}  <geom name="{name}_fin" class="inertial" size=".001 {length / 2:.4g} {hgt:.4g}" '
                   f'mass="{m:.4g}"/>')
        pad += "  "
    for k in range(len(names) - 1, -1, -1):
        pad = pad[:-2]
        out.append(f"{pad}</body>")
    return out


def swimmer(model, doc, nseg, length, r0, r1, h0, h1, m0, m1, head, gear, extra_world="", head_extra="",
            custom_extra=""):
    names = [f"seg_{k}" for k in range(nseg)]
    radii = [r0 + (r1 - r0) * k / max(1, nseg - 1) for k in range(nseg)]
    heights = [h0 + (h1 - h0) * k / max(1, nseg - 1) for k in range(nseg)]
    masses = [m0 + (m1 - m0) * k / max(1, nseg - 1) for k in range(nseg)]
    lines = [f"<!-- {doc} -->", f'<mujoco model="{model}">', '  <compiler angle="degree"/>',
             '  <option timestep="0.002" density="1000" viscosity="0.0009" integrator="Euler">',
             '    <flag contact="disable" gravity="disable"/>', "  </option>",
             "  <custom>", '    <text name="animat.forward_body" data="head"/>',
             f'    <text name="animat.forward_from" data="{names[-1]}"/>' + custom_extra, "  </custom>",
             "  <default>", '    <joint type="hinge" axis="0 0 1" pos="0 -%.4g 0" limited="true" '
             'stiffness="%.3g" damping="%.3g" armature="1e-5"/>' % (length / 2, gear * 0.2, gear * 0.02),
             '    <default class="visual"><geom type="capsule" mass="0" rgba=".55 .5 .45 1"/></default>',
             '    <default class="inertial"><geom type="box" rgba="0 0 0 0" contype="0" conaffinity="0"/></default>',
             f'    <motor gear="{gear:.3g}" ctrllimited="true" ctrlrange="-1 1"/>', "  </default>",
             "  <worldbody>", '    <light pos="0 0 3" dir="0 0 -1" directional="true"/>',
             '    <geom name="ground" type="plane" size="5 5 .1" pos="0 0 -.1" rgba=".25 .35 .45 1"/>' + extra_world,
             '    <body name="head" pos="0 0 0">',
             '      <joint name="rootx" type="slide" axis="1 0 0" limited="false" stiffness="0" damping="0"/>',
             '      <joint name="rooty" type="slide" axis="0 1 0" limited="false" stiffness="0" damping="0"/>',
             '      <joint name="rootz" type="hinge" axis="0 0 1" limited="false" stiffness="0" damping="0"/>']
    lines += ["      " + h for h in head] + [head_extra] if head_extra else ["      " + h for h in head]
    lines += chain(names, length, radii, heights, masses, 45, "      ")
    lines += ["    </body>", "  </worldbody>", "  <actuator>"]
    lines += [f'    <motor name="muscles_{k}" joint="joint_{k}"/>' for k in range(nseg)]
    lines += ["  </actuator>", "  <sensor>"]
    lines += [f'    <jointpos name="joints_{k}" joint="joint_{k}"/>' for k in range(nseg)]
    lines += ['    <framepos name="head_pos" objtype="body" objname="head"/>', "  </sensor>", "</mujoco>", ""]
    return "\n".join(l for l in lines if l)


def lamprey():
    doc = ("A lamprey / eel: an anguilliform swimmer of 11 bodies (head + 10 segments of 5 cm, 0.55 m), tapering\n"
           "     from 2 cm to 0.6 cm radius, with a fin fold (the invisible boxes carry mass and MuJoCo's\n"
           "     inertia-box fluid drag: water, density 1000, viscosity 0.0009). 10 body-wall joints about z,\n"
           "     one motor each (port muscles, 10), jointpos sensors (port joints, 10), head position\n"
           "     (head_pos). Head points along -y. Drive it with circuits/cpg: examples/lamprey-cpg.yaml.")
    head = ['<geom name="head" type="ellipsoid" size=".02 .035 .018" pos="0 -.01 0" mass="0" rgba=".5 .45 .4 1"/>',
            '<geom name="head_mass" class="inertial" size=".001 .025 .02" mass=".04"/>']
    return swimmer("lamprey", doc, 10, 0.05, 0.02, 0.006, 0.02, 0.03, 0.03, 0.008, head, 0.02)


def zebrafish():
    doc = ("A larval zebrafish, scaled up 100 times (4 mm -> 0.4 m): a large head with two eyes, a yolk,\n"
           "     and a tail of 8 segments of 3.5 cm with a fin fold growing towards the tail. 8 tail joints,\n"
           "     one motor each (port muscles, 8), jointpos sensors (port joints, 8), head_pos, and two eyes\n"
           "     as camera ports (eye_left, eye_right: 8 x 4 RGB, 98 degrees wide each, looking sideways\n"
           "     and forward). Head points along -y. examples/zebrafish-cpg.yaml.")
    head = ['<geom name="head" type="ellipsoid" size=".04 .06 .035" pos="0 -.04 0" mass="0" rgba=".8 .75 .6 .9"/>',
            '<geom name="yolk" type="ellipsoid" size=".035 .05 .035" pos="0 .01 -.01" mass="0" rgba=".9 .8 .5 1"/>',
            '<geom name="head_mass" class="inertial" size=".001 .05 .03" mass=".12"/>',
            '<geom name="eye_l" type="sphere" size=".018" pos=".035 -.075 .01" mass="0" rgba=".1 .1 .1 1"/>',
            '<geom name="eye_r" type="sphere" size=".018" pos="-.035 -.075 .01" mass="0" rgba=".1 .1 .1 1"/>',
            '<camera name="eye_left" pos=".055 -.075 .01" xyaxes="-.5 -.866 0 0 0 1" fovy="60"/>',
            '<camera name="eye_right" pos="-.055 -.075 .01" xyaxes="-.5 .866 0 0 0 1" fovy="60"/>']
    objects = ("\n    <geom name=\"food\" type=\"sphere\" size=\".05\" pos=\".6 -.8 0\" rgba=\"1 .5 0 1\" contype=\"0\" "
               "conaffinity=\"0\"/>\n    <geom name=\"rock\" type=\"box\" size=\".1 .1 .1\" pos=\"-.7 -.5 0\" "
               "rgba=\".4 .4 .4 1\" contype=\"0\" conaffinity=\"0\"/>")
    custom = ('\n    <numeric name="animat.camera.eye_left" data="8 4 3"/>'
              '\n    <numeric name="animat.camera.eye_right" data="8 4 3"/>')
    return swimmer("zebrafish", doc, 8, 0.035, 0.025, 0.005, 0.02, 0.04, 0.02, 0.006, head, 0.03,
                   extra_world=objects, custom_extra=custom)


def hexapod():
    doc = ("A hexapod on the ground: a box torso (0.3 x 0.12 m, 1 kg) and six legs, each a hip hinge about z\n"
           "     (swing, +-30 degrees) and a lift hinge about the body's long axis (+ = foot up), driven by\n"
           "     position servos: port legs (12) = target angles in rad, ordered hip then lift of the legs\n"
           "     L1 R1 R2 L2 L3 R3 (front to back; L = +x side). In that order a chain of 12 oscillators\n"
           "     with phase lag pi/2 (circuits/cpg) moves the tripods {L1 R2 L3} and {R1 L2 R3} in\n"
           "     antiphase, each foot lifted while it swings forward: examples/hexapod-cpg.yaml.\n"
           "     Sensors: legs_pos (12 joint angles), torso_vel (3), torso_up (3). Forward is the torso's -y axis (the head's side).")
    legs = [("L1", 1, -0.12), ("R1", -1, -0.12), ("R2", -1, 0.0), ("L2", 1, 0.0), ("L3", 1, 0.12), ("R3", -1, 0.12)]
    L = ['<mujoco model="hexapod">', f"<!-- {doc} -->", '  <compiler angle="degree"/>',
         '  <option timestep="0.002"/>', "  <custom>",
         '    <text name="animat.forward_body" data="torso"/>',
         '    <numeric name="animat.forward_axis" data="0 -1 0"/>',
         '    <text name="animat.upright_body" data="torso"/>', "  </custom>",
         "  <default>", '    <joint type="hinge" limited="true" damping=".3" armature=".01"/>',
         '    <geom friction="1.2 .005 .0001" rgba=".6 .5 .35 1"/>',
         '    <position kp="20" ctrllimited="true" ctrlrange="-1 1"/>', "  </default>",
         "  <worldbody>", '    <light pos="0 0 3" dir="0 0 -1" directional="true"/>',
         '    <geom name="ground" type="plane" size="5 5 .1" rgba=".3 .4 .3 1"/>',
         '    <body name="torso" pos="0 0 .12">', '      <freejoint name="root"/>',
         '      <geom name="torso" type="box" size=".06 .15 .025" mass="1"/>',
         '      <geom name="head" type="sphere" size=".04" pos="0 -.17 0" mass=".1"/>']
    for name, side, y in legs:
        x = side * 0.06
        L += [f'      <body name="hip_{name}" pos="{x:.3g} {y:.3g} 0">',
              f'        <joint name="hip_{name}" axis="0 0 {side}" range="-30 30"/>',
              f'        <geom name="hip_{name}" type="sphere" size=".015" mass=".02"/>',
              f'        <body name="leg_{name}">',
              f'          <joint name="lift_{name}" axis="0 {-side} 0" range="-20 45"/>',
              f'          <geom name="leg_{name}" type="capsule" size=".012" '
              f'fromto="0 0 0 {side * 0.08:.3g} 0 -.1" mass=".05"/>',
              "        </body>", "      </body>"]
    L += ["    </body>", "  </worldbody>", "  <actuator>"]
    for name, side, y in legs:
        L += [f'    <position name="legs_{2 * legs.index((name, side, y))}" joint="hip_{name}"/>',
              f'    <position name="legs_{2 * legs.index((name, side, y)) + 1}" joint="lift_{name}"/>']
    L += ["  </actuator>", "  <sensor>"]
    for name, side, y in legs:
        i = legs.index((name, side, y))
        L += [f'    <jointpos name="legs_pos_{2 * i}" joint="hip_{name}"/>',
              f'    <jointpos name="legs_pos_{2 * i + 1}" joint="lift_{name}"/>']
    L += ['    <velocimeter name="torso_vel" site="imu"/>', '    <framezaxis name="torso_up" objtype="body" '
          'objname="torso"/>', "  </sensor>", "</mujoco>", ""]
    xml = "\n".join(L)
    return xml.replace('<geom name="head" type="sphere" size=".04" pos="0 -.17 0" mass=".1"/>',
                       '<geom name="head" type="sphere" size=".04" pos="0 -.17 0" mass=".1"/>\n'
                       '      <site name="imu"/>')


if __name__ == "__main__":
    for name, fn in (("lamprey", lamprey), ("zebrafish", zebrafish), ("hexapod", hexapod)):
        with open(os.path.join(HERE, name + ".xml"), "w") as f:
            f.write(fn())
