<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
    <context>
        <name>CityCode</name>
        <message>
            <location filename="plugin/citycode_plugin.py" line="134" />
            <source>CityCode</source>
            <translation>CityCode 城市编码</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="98" />
            <source>Assign codes (batch)…</source>
            <translation>批量赋码…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="98" />
            <source>Give buildings or projects unified city codes in one batch</source>
            <translation>为建筑物或项目批量赋予统一城市编码</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="100" />
            <source>Check against planning layers…</source>
            <translation>规划图层叠加核查…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="100" />
            <source>Check features against planning layers (red lines, farmland, development boundary)</source>
            <translation>将要素与规划图层（生态保护红线、永久基本农田、城镇开发边界）叠加核查</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="104" />
            <source>Validate codes…</source>
            <translation>编码校验…</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="104" />
            <source>Check existing codes against their profile and check character</source>
            <translation>按编码方案和校验码检查已有编码</translation>
        </message>
        <message>
            <location filename="plugin/citycode_plugin.py" line="134" />
            <source>Cannot open the algorithm {}: {}</source>
            <translation>无法打开算法 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine.py" line="96" />
            <source>Canceled; nothing was changed</source>
            <translation>已取消，未做任何更改</translation>
        </message>
        <message>
            <location filename="plugin/core/engine.py" line="110" />
            <source>Batch coding needs shapely 2 in this version.</source>
            <translation>当前版本的批量赋码需要 shapely 2。</translation>
        </message>
        <message>
            <location filename="plugin/core/engine.py" line="224" />
            <source>The division layer has no field '{}' (fields: {}); choose the field that holds the {}-digit division code</source>
            <translation>行政区划图层没有字段“{}”（现有字段：{}）；请选择存放 {} 位区划代码的字段</translation>
        </message>
        <message>
            <location filename="plugin/core/engine.py" line="230" />
            <source>No value of field '{}' is a {}-digit division code (e.g. '{}')</source>
            <translation>字段“{}”中没有一个值是 {} 位区划代码（例如“{}”）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine.py" line="250" />
            <source>Engine: {}</source>
            <translation>计算引擎：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine.py" line="258" />
            <source>Unknown rule '{}': use 'area' or 'centroid'</source>
            <translation>未知规则“{}”：请使用 'area'（面积占比）或 'centroid'（质心）</translation>
        </message>
        <message>
            <location filename="plugin/core/engine.py" line="270" />
            <source>Read {} buildings and {} divisions</source>
            <translation>已读取 {} 个建筑物和 {} 个行政区划</translation>
        </message>
        <message>
            <location filename="plugin/core/engine.py" line="306" />
            <source>batch {} -&gt; {}</source>
            <translation>批次 {} -&gt; {}</translation>
        </message>
        <message>
            <location filename="plugin/core/engine.py" line="315" />
            <source>Registry {}: {} new codes, {} existing</source>
            <translation>编码库 {}：新赋码 {} 个，沿用已有编码 {} 个</translation>
        </message>
        <message>
            <location filename="plugin/core/engine.py" line="377" />
            <source>Choose at least one planning layer to check against</source>
            <translation>请至少选择一个规划图层进行核查</translation>
        </message>
        <message>
            <location filename="plugin/core/engine.py" line="381" />
            <source>Read {} features</source>
            <translation>已读取 {} 个要素</translation>
        </message>
        <message>
            <location filename="plugin/core/layers.py" line="58" />
            <source>Layer {} has no field '{}' (fields: {})</source>
            <translation>图层 {} 没有字段“{}”（现有字段：{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/layers.py" line="71" />
            <source>File not found: {}</source>
            <translation>找不到文件：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/layers.py" line="82" />
            <source>Cannot read {}: {}</source>
            <translation>无法读取 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/layers.py" line="105" />
            <source>Cannot open {} as a vector layer</source>
            <translation>无法将 {} 作为矢量图层打开</translation>
        </message>
        <message>
            <location filename="plugin/core/layers.py" line="251" />
            <source>Cannot write {}: {}</source>
            <translation>无法写入 {}：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="45" />
            <source>Unknown segment type: {}</source>
            <translation>未知的码段类型：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="50" />
            <source>Unknown check algorithm: {}</source>
            <translation>未知的校验算法：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="53" />
            <source>Segment {} needs a positive length</source>
            <translation>码段 {} 的长度必须为正数</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="70" />
            <source>Profile {} needs exactly one {} segment</source>
            <translation>编码方案 {} 必须恰好包含一个 {} 码段</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="72" />
            <source>The check segment must come last in profile {}</source>
            <translation>编码方案 {} 中校验码段必须位于最后</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="82" />
            <source>Profile is missing the key {}</source>
            <translation>编码方案缺少键 {}</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="122" />
            <source>{} {} does not fit the {}-digit segment of profile {}</source>
            <translation>{} {} 无法放入 {} 位码段（编码方案 {}）</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="145" />
            <source>The code is empty</source>
            <translation>编码为空</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="148" />
            <source>Length is {}, profile {} needs {}</source>
            <translation>长度为 {}，编码方案 {} 要求 {} 位</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="155" />
            <source>Characters {}-{} must be '{}', found '{}'</source>
            <translation>第 {}–{} 位应为“{}”，实际为“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="160" />
            <source>Check character is '{}', expected '{}'</source>
            <translation>校验码为“{}”，应为“{}”</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="162" />
            <source>The {} segment '{}' must be digits</source>
            <translation>{} 码段“{}”必须为数字</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="164" />
            <source>Year {} is out of range</source>
            <translation>年份 {} 超出范围</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="166" />
            <source>Sequence 0 is never issued</source>
            <translation>顺序码 0 不会被发放</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="168" />
            <source>Division {} does not exist</source>
            <translation>行政区划 {} 不存在</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="186" />
            <source>{} '{}' does not fit the {}-character segment of profile {}</source>
            <translation>{}“{}”无法放入 {} 位码段（编码方案 {}）</translation>
        </message>
        <message>
            <location filename="plugin/core/profiles.py" line="207" />
            <source>No code profile named '{}' (known: {})</source>
            <translation>没有名为“{}”的编码方案（现有：{}）</translation>
        </message>
        <message>
            <location filename="plugin/core/registry.py" line="127" />
            <source>No registry location was given</source>
            <translation>未指定编码库位置</translation>
        </message>
        <message>
            <location filename="plugin/core/registry.py" line="129" />
            <source>The PostgreSQL registry is not available in this version</source>
            <translation>此版本暂不支持 PostgreSQL 编码库</translation>
        </message>
        <message>
            <location filename="plugin/core/registry_sqlite.py" line="58" />
            <source>The registry folder does not exist: {}</source>
            <translation>编码库所在文件夹不存在：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/registry_sqlite.py" line="67" />
            <source>{} is not a CityCode registry: {}</source>
            <translation>{} 不是 CityCode 编码库：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/registry_sqlite.py" line="71" />
            <source>The registry {} was made by a newer CityCode; update the plugin</source>
            <translation>编码库 {} 由更高版本的 CityCode 创建，请升级插件</translation>
        </message>
        <message>
            <location filename="plugin/core/registry_sqlite.py" line="106" />
            <source>The request names the same identity more than once; nothing was issued</source>
            <translation>请求中同一标识出现多次；未发放任何编码</translation>
        </message>
        <message>
            <location filename="plugin/core/registry_sqlite.py" line="128" />
            <source>The registry refused the batch, nothing was issued: {}</source>
            <translation>编码库拒绝了本批次，未发放任何编码：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/registry_sqlite.py" line="177" />
            <source>The sequence of division {} in {} is used up</source>
            <translation>行政区划 {} 在 {} 年的顺序码已用尽</translation>
        </message>
        <message>
            <location filename="plugin/core/registry_sqlite.py" line="227" />
            <source>Code {} is not in the registry</source>
            <translation>编码 {} 不在编码库中</translation>
        </message>
        <message>
            <location filename="plugin/core/registry_sqlite.py" line="229" />
            <source>Code {} is {}, not active</source>
            <translation>编码 {} 的状态为 {}，不是有效状态</translation>
        </message>
        <message>
            <location filename="plugin/core/registry_sqlite.py" line="259" />
            <source>A split needs at least two parts</source>
            <translation>拆分至少需要两个部分</translation>
        </message>
        <message>
            <location filename="plugin/core/registry_sqlite.py" line="278" />
            <source>A merge needs at least two codes</source>
            <translation>合并至少需要两个编码</translation>
        </message>
        <message>
            <location filename="plugin/core/registry_sqlite.py" line="284" />
            <source>Codes of different kinds cannot be merged</source>
            <translation>不同类型的编码不能合并</translation>
        </message>
        <message>
            <location filename="plugin/core/report.py" line="80" />
            <source>CityCode coding report</source>
            <translation>城市码赋码报告</translation>
        </message>
        <message>
            <location filename="plugin/core/report.py" line="109" />
            <source>CityCode planning overlay report</source>
            <translation>城市码规划叠加分析报告</translation>
        </message>
        <message>
            <location filename="plugin/core/report.py" line="166" />
            <source>Straddling buildings</source>
            <translation>跨界建筑物</translation>
        </message>
        <message>
            <location filename="plugin/core/report.py" line="166" />
            <source>Outside every division</source>
            <translation>位于所有行政区划之外</translation>
        </message>
        <message>
            <location filename="plugin/core/report.py" line="166" />
            <source>Partly outside every division</source>
            <translation>部分位于行政区划之外</translation>
        </message>
        <message>
            <location filename="plugin/core/report.py" line="166" />
            <source>No geometry</source>
            <translation>无几何图形</translation>
        </message>
        <message>
            <location filename="plugin/core/report.py" line="166" />
            <source>Repaired geometries</source>
            <translation>已修复的几何图形</translation>
        </message>
        <message>
            <location filename="plugin/core/report.py" line="166" />
            <source>Duplicate ids</source>
            <translation>重复标识</translation>
        </message>
        <message>
            <location filename="plugin/core/report.py" line="166" />
            <source>Sequence used up</source>
            <translation>顺序号已用尽</translation>
        </message>
        <message>
            <location filename="plugin/core/speedups.py" line="41" />
            <source>Optional speed-ups not found ({}): CityCode uses QGIS's own reading and geometry, which is slower on large layers. Install them with pip to speed up batch jobs.</source>
            <translation>未找到可选加速组件（{}）：城市码将使用 QGIS 自身的读取与几何计算，处理大图层时较慢。用 pip 安装它们可加快批处理。</translation>
        </message>
        <message>
            <location filename="plugin/core/validation.py" line="25" />
            <source>Detect from the code's layout</source>
            <translation>按编码结构自动识别</translation>
        </message>
        <message>
            <location filename="plugin/core/validation.py" line="39" />
            <source>Unknown kind of code: {}</source>
            <translation>未知的编码类型：{}</translation>
        </message>
        <message>
            <location filename="plugin/core/validation.py" line="50" />
            <source>The layout matches no known kind of code (length {})</source>
            <translation>编码结构与任何已知类型都不符（长度 {}）</translation>
        </message>
        <message>
            <location filename="plugin/processing/provider.py" line="22" />
            <source>CityCode — unified city codes (落图+赋码) and 三区三线 checks</source>
            <translation>CityCode — 统一城市编码（落图+赋码）与三区三线核查</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="33" />
            <source>&lt;p&gt;Places every building in the township/street division it lies in (落图) and gives it a unified city code (赋码): division code + year + sequence + unit + check character (the chosen profile). Codes already issued are kept: a registry remembers each building, so re-running after edits only codes what is new.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Buildings&lt;/b&gt;: polygons to code.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Divisions&lt;/b&gt; and &lt;b&gt;division code field&lt;/b&gt;: township/street polygons and their 9-digit code.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Year field&lt;/b&gt; / &lt;b&gt;default year&lt;/b&gt;: the year segment of new codes; features without a year use the default (empty = the current year).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Identity field&lt;/b&gt;: a stable ID of each building. Without it, a geometry fingerprint identifies buildings across re-runs (a reshaped building then counts as new).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Unit field&lt;/b&gt;: the unit segment (empty = whole building, 00000).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Rule&lt;/b&gt;: the division a straddling building belongs to — the one holding the largest share of its area, or the one containing its centroid (JGJ/T 246).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Planning layers&lt;/b&gt;: optional 三区三线 polygons (e.g. 生态保护红线, 永久基本农田, 城镇开发边界) to measure each building against.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Code profile&lt;/b&gt; / &lt;b&gt;profile file&lt;/b&gt;: the code layout; a JSON file overrides the choice. Scripts and qgis_process give the profile by name, e.g. PROFILE=building.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Registry&lt;/b&gt;: the file recording issued codes (created if missing, updated in place). Empty = beside the output. Set it when the output is temporary, or codes will not persist.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Engine&lt;/b&gt;: auto picks the fast file reader when it can, otherwise QGIS.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Report&lt;/b&gt;: an HTML or JSON summary.&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Output fields&lt;/h3&gt;&lt;p&gt;The building fields, plus:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;citycode&lt;/b&gt;: the unified code (empty when the building could not be coded).&lt;/li&gt;&lt;li&gt;&lt;b&gt;division&lt;/b&gt;: the division code the building was placed in.&lt;/li&gt;&lt;li&gt;&lt;b&gt;div_share&lt;/b&gt;: share (0–1) of the building's area inside that division.&lt;/li&gt;&lt;li&gt;&lt;b&gt;straddle&lt;/b&gt;: 1 when the building crosses a division boundary; &lt;b&gt;div_shares&lt;/b&gt; then lists each division with its share.&lt;/li&gt;&lt;li&gt;&lt;b&gt;cc_status&lt;/b&gt;: new, existing (code kept from an earlier run), outside (in no division), empty (no geometry), duplicate_id (identity already used by another feature) or exhausted (no sequence numbers left).&lt;/li&gt;&lt;li&gt;&lt;b&gt;cc_flags&lt;/b&gt;: notes such as repaired (invalid geometry fixed), partly_outside, year_default (year field empty or implausible).&lt;/li&gt;&lt;li&gt;&lt;b&gt;&amp;lt;layer&amp;gt;_area&lt;/b&gt;, &lt;b&gt;&amp;lt;layer&amp;gt;_pct&lt;/b&gt;, &lt;b&gt;&amp;lt;layer&amp;gt;_hit&lt;/b&gt;: for each planning layer, the overlap area (square metres), its percentage of the building, and 1 when they overlap.&lt;/li&gt;&lt;/ul&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="74" />
            <source>Buildings</source>
            <translation>建筑物</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="75" />
            <source>Divisions (township/street)</source>
            <translation>行政区划（乡镇/街道）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="78" />
            <source>Division code field</source>
            <translation>区划代码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="80" />
            <source>Year field</source>
            <translation>年份字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="82" />
            <source>Default year</source>
            <translation>默认年份</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="85" />
            <source>Identity field (empty = geometry fingerprint)</source>
            <translation>标识字段（留空 = 使用几何指纹）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="88" />
            <source>Unit field</source>
            <translation>单元字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="90" />
            <source>Division of a straddling building</source>
            <translation>跨界建筑物的归属区划</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="90" />
            <source>Largest area share</source>
            <translation>面积占比最大</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="90" />
            <source>Centroid (JGJ/T 246)</source>
            <translation>质心所在区划（JGJ/T 246）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="93" />
            <source>Planning layers (三区三线)</source>
            <translation>规划图层（三区三线）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="97" />
            <source>Code profile</source>
            <translation>编码方案</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="100" />
            <source>Code profile file (overrides the profile)</source>
            <translation>编码方案文件（优先于所选方案）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="103" />
            <source>Code registry (empty = beside the output)</source>
            <translation>编码库（留空 = 与输出文件同目录）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="103" />
            <source>Registry (*.sqlite *.gpkg)</source>
            <translation>编码库 (*.sqlite *.gpkg)</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="107" />
            <source>Engine</source>
            <translation>计算引擎</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="107" />
            <source>Auto</source>
            <translation>自动</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="107" />
            <source>Fast (shapely + pyogrio)</source>
            <translation>快速（shapely + pyogrio）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="107" />
            <source>QGIS</source>
            <translation>QGIS</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="110" />
            <source>Coded buildings</source>
            <translation>已赋码建筑物</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="112" />
            <source>Report</source>
            <translation>报告</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="112" />
            <source>HTML report (*.html);;JSON report (*.json)</source>
            <translation>HTML 报告 (*.html);;JSON 报告 (*.json)</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="219" />
            <source>Choose where to save {}</source>
            <translation>请选择 {} 的保存位置</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="223" />
            <source>CityCode writes GeoPackage (.gpkg) or shapefile (.shp) files; choose a file path instead of {}</source>
            <translation>CityCode 只输出 GeoPackage（.gpkg）或 Shapefile（.shp）文件，请为 {} 选择文件路径</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="250" />
            <source>Canceled; nothing was changed.</source>
            <translation>已取消，未做任何更改。</translation>
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="20" />
            <source>&lt;p&gt;Measures how much of each building lies in each planning layer (三区三线: 生态保护红线, 永久基本农田, 城镇开发边界, …). Codes and the registry are not touched.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Buildings&lt;/b&gt;: polygons to check.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Planning layers&lt;/b&gt;: one or more polygon layers; each layer's name names its output fields (e.g. 生态保护红线_area).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Engine&lt;/b&gt;: auto picks the fast file reader when it can, otherwise QGIS.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Report&lt;/b&gt;: an HTML or JSON summary.&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Output fields&lt;/h3&gt;&lt;p&gt;The building fields, plus for each planning layer:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;&amp;lt;layer&amp;gt;_area&lt;/b&gt;: area of overlap (square metres).&lt;/li&gt;&lt;li&gt;&lt;b&gt;&amp;lt;layer&amp;gt;_pct&lt;/b&gt;: that area as a percentage of the building.&lt;/li&gt;&lt;li&gt;&lt;b&gt;&amp;lt;layer&amp;gt;_hit&lt;/b&gt;: 1 when the building overlaps the layer (slivers below 0.01 m² do not count).&lt;/li&gt;&lt;/ul&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="44" />
            <source>Buildings with overlaps</source>
            <translation>叠加核查结果（建筑物）</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="57" />
            <source>&lt;p&gt;Checks the codes in a field: length, layout, allowed characters, year range and check character. Works on any layer or table; a row per input feature comes out.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Input&lt;/b&gt;: the layer or table holding the codes.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Code field&lt;/b&gt;: the field to check.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Kind of code&lt;/b&gt;: auto recognises the kind of each code by its layout; otherwise every value is checked against the chosen kind. Scripts and qgis_process give it by name, e.g. KIND=auto or KIND=building.&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Output fields&lt;/h3&gt;&lt;p&gt;The input fields, plus:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;valid&lt;/b&gt;: true when the code passes every check.&lt;/li&gt;&lt;li&gt;&lt;b&gt;profile&lt;/b&gt;: the kind of code it was checked as (empty when none matched).&lt;/li&gt;&lt;li&gt;&lt;b&gt;reasons&lt;/b&gt;: what is wrong, one reason per line (empty when valid).&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Kinds of code&lt;/h3&gt;&lt;ul&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="73" />
            <source>Input layer</source>
            <translation>输入图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="75" />
            <source>Code field</source>
            <translation>编码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="77" />
            <source>Kind of code</source>
            <translation>编码类型</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="79" />
            <source>Validated codes</source>
            <translation>校验结果</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="80" />
            <source>Valid codes</source>
            <translation>有效编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="81" />
            <source>Invalid codes</source>
            <translation>无效编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="92" />
            <source>The input has no field named '{}'</source>
            <translation>输入图层没有名为“{}”的字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="136" />
            <source>Valid: {}, invalid: {}</source>
            <translation>有效：{}，无效：{}</translation>
        </message>
    </context>
    <context>
        <name>AssignCodesAlgorithm</name>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="33" />
            <source>&lt;p&gt;Places every building in the township/street division it lies in (落图) and gives it a unified city code (赋码): division code + year + sequence + unit + check character (the chosen profile). Codes already issued are kept: a registry remembers each building, so re-running after edits only codes what is new.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Buildings&lt;/b&gt;: polygons to code.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Divisions&lt;/b&gt; and &lt;b&gt;division code field&lt;/b&gt;: township/street polygons and their 9-digit code.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Year field&lt;/b&gt; / &lt;b&gt;default year&lt;/b&gt;: the year segment of new codes; features without a year use the default (empty = the current year).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Identity field&lt;/b&gt;: a stable ID of each building. Without it, a geometry fingerprint identifies buildings across re-runs (a reshaped building then counts as new).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Unit field&lt;/b&gt;: the unit segment (empty = whole building, 00000).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Rule&lt;/b&gt;: the division a straddling building belongs to — the one holding the largest share of its area, or the one containing its centroid (JGJ/T 246).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Planning layers&lt;/b&gt;: optional 三区三线 polygons (e.g. 生态保护红线, 永久基本农田, 城镇开发边界) to measure each building against.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Code profile&lt;/b&gt; / &lt;b&gt;profile file&lt;/b&gt;: the code layout; a JSON file overrides the choice. Scripts and qgis_process give the profile by name, e.g. PROFILE=building.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Registry&lt;/b&gt;: the file recording issued codes (created if missing, updated in place). Empty = beside the output. Set it when the output is temporary, or codes will not persist.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Engine&lt;/b&gt;: auto picks the fast file reader when it can, otherwise QGIS.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Report&lt;/b&gt;: an HTML or JSON summary.&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Output fields&lt;/h3&gt;&lt;p&gt;The building fields, plus:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;citycode&lt;/b&gt;: the unified code (empty when the building could not be coded).&lt;/li&gt;&lt;li&gt;&lt;b&gt;division&lt;/b&gt;: the division code the building was placed in.&lt;/li&gt;&lt;li&gt;&lt;b&gt;div_share&lt;/b&gt;: share (0–1) of the building's area inside that division.&lt;/li&gt;&lt;li&gt;&lt;b&gt;straddle&lt;/b&gt;: 1 when the building crosses a division boundary; &lt;b&gt;div_shares&lt;/b&gt; then lists each division with its share.&lt;/li&gt;&lt;li&gt;&lt;b&gt;cc_status&lt;/b&gt;: new, existing (code kept from an earlier run), outside (in no division), empty (no geometry), duplicate_id (identity already used by another feature) or exhausted (no sequence numbers left).&lt;/li&gt;&lt;li&gt;&lt;b&gt;cc_flags&lt;/b&gt;: notes such as repaired (invalid geometry fixed), partly_outside, year_default (year field empty or implausible).&lt;/li&gt;&lt;li&gt;&lt;b&gt;&amp;lt;layer&amp;gt;_area&lt;/b&gt;, &lt;b&gt;&amp;lt;layer&amp;gt;_pct&lt;/b&gt;, &lt;b&gt;&amp;lt;layer&amp;gt;_hit&lt;/b&gt;: for each planning layer, the overlap area (square metres), its percentage of the building, and 1 when they overlap.&lt;/li&gt;&lt;/ul&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="74" />
            <source>Buildings</source>
            <translation>建筑物</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="75" />
            <source>Divisions (township/street)</source>
            <translation>行政区划（乡镇/街道）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="78" />
            <source>Division code field</source>
            <translation>区划代码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="80" />
            <source>Year field</source>
            <translation>年份字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="82" />
            <source>Default year</source>
            <translation>默认年份</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="85" />
            <source>Identity field (empty = geometry fingerprint)</source>
            <translation>标识字段（留空 = 使用几何指纹）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="88" />
            <source>Unit field</source>
            <translation>单元字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="90" />
            <source>Division of a straddling building</source>
            <translation>跨界建筑物的归属区划</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="90" />
            <source>Largest area share</source>
            <translation>面积占比最大</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="90" />
            <source>Centroid (JGJ/T 246)</source>
            <translation>质心所在区划（JGJ/T 246）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="93" />
            <source>Planning layers (三区三线)</source>
            <translation>规划图层（三区三线）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="97" />
            <source>Code profile</source>
            <translation>编码方案</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="100" />
            <source>Code profile file (overrides the profile)</source>
            <translation>编码方案文件（优先于所选方案）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="103" />
            <source>Code registry (empty = beside the output)</source>
            <translation>编码库（留空 = 与输出文件同目录）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="103" />
            <source>Registry (*.sqlite *.gpkg)</source>
            <translation>编码库 (*.sqlite *.gpkg)</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="107" />
            <source>Engine</source>
            <translation>计算引擎</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="107" />
            <source>Auto</source>
            <translation>自动</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="107" />
            <source>Fast (shapely + pyogrio)</source>
            <translation>快速（shapely + pyogrio）</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="107" />
            <source>QGIS</source>
            <translation>QGIS</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="110" />
            <source>Coded buildings</source>
            <translation>已赋码建筑物</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="112" />
            <source>Report</source>
            <translation>报告</translation>
        </message>
        <message>
            <location filename="plugin/processing/assign_codes.py" line="112" />
            <source>HTML report (*.html);;JSON report (*.json)</source>
            <translation>HTML 报告 (*.html);;JSON 报告 (*.json)</translation>
        </message>
    </context>
    <context>
        <name>CityCodeAlgorithm</name>
        <message>
            <location filename="plugin/processing/base.py" line="219" />
            <source>Choose where to save {}</source>
            <translation>请选择 {} 的保存位置</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="223" />
            <source>CityCode writes GeoPackage (.gpkg) or shapefile (.shp) files; choose a file path instead of {}</source>
            <translation>CityCode 只输出 GeoPackage（.gpkg）或 Shapefile（.shp）文件，请为 {} 选择文件路径</translation>
        </message>
        <message>
            <location filename="plugin/processing/base.py" line="250" />
            <source>Canceled; nothing was changed.</source>
            <translation>已取消，未做任何更改。</translation>
        </message>
    </context>
    <context>
        <name>OverlayCheckAlgorithm</name>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="20" />
            <source>&lt;p&gt;Measures how much of each building lies in each planning layer (三区三线: 生态保护红线, 永久基本农田, 城镇开发边界, …). Codes and the registry are not touched.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Buildings&lt;/b&gt;: polygons to check.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Planning layers&lt;/b&gt;: one or more polygon layers; each layer's name names its output fields (e.g. 生态保护红线_area).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Engine&lt;/b&gt;: auto picks the fast file reader when it can, otherwise QGIS.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Report&lt;/b&gt;: an HTML or JSON summary.&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Output fields&lt;/h3&gt;&lt;p&gt;The building fields, plus for each planning layer:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;&amp;lt;layer&amp;gt;_area&lt;/b&gt;: area of overlap (square metres).&lt;/li&gt;&lt;li&gt;&lt;b&gt;&amp;lt;layer&amp;gt;_pct&lt;/b&gt;: that area as a percentage of the building.&lt;/li&gt;&lt;li&gt;&lt;b&gt;&amp;lt;layer&amp;gt;_hit&lt;/b&gt;: 1 when the building overlaps the layer (slivers below 0.01 m² do not count).&lt;/li&gt;&lt;/ul&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="37" />
            <source>Buildings</source>
            <translation>建筑物</translation>
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="38" />
            <source>Planning layers (三区三线)</source>
            <translation>规划图层（三区三线）</translation>
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="41" />
            <source>Engine</source>
            <translation>计算引擎</translation>
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="41" />
            <source>Auto</source>
            <translation>自动</translation>
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="41" />
            <source>Fast (shapely + pyogrio)</source>
            <translation>快速（shapely + pyogrio）</translation>
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="41" />
            <source>QGIS</source>
            <translation>QGIS</translation>
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="44" />
            <source>Buildings with overlaps</source>
            <translation>叠加核查结果（建筑物）</translation>
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="46" />
            <source>Report</source>
            <translation>报告</translation>
        </message>
        <message>
            <location filename="plugin/processing/overlay_check.py" line="46" />
            <source>HTML report (*.html);;JSON report (*.json)</source>
            <translation>HTML 报告 (*.html);;JSON 报告 (*.json)</translation>
        </message>
    </context>
    <context>
        <name>ValidateCodesAlgorithm</name>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="57" />
            <source>&lt;p&gt;Checks the codes in a field: length, layout, allowed characters, year range and check character. Works on any layer or table; a row per input feature comes out.&lt;/p&gt;&lt;h3&gt;Parameters&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Input&lt;/b&gt;: the layer or table holding the codes.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Code field&lt;/b&gt;: the field to check.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Kind of code&lt;/b&gt;: auto recognises the kind of each code by its layout; otherwise every value is checked against the chosen kind. Scripts and qgis_process give it by name, e.g. KIND=auto or KIND=building.&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Output fields&lt;/h3&gt;&lt;p&gt;The input fields, plus:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;valid&lt;/b&gt;: true when the code passes every check.&lt;/li&gt;&lt;li&gt;&lt;b&gt;profile&lt;/b&gt;: the kind of code it was checked as (empty when none matched).&lt;/li&gt;&lt;li&gt;&lt;b&gt;reasons&lt;/b&gt;: what is wrong, one reason per line (empty when valid).&lt;/li&gt;&lt;/ul&gt;&lt;h3&gt;Kinds of code&lt;/h3&gt;&lt;ul&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="73" />
            <source>Input layer</source>
            <translation>输入图层</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="75" />
            <source>Code field</source>
            <translation>编码字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="77" />
            <source>Kind of code</source>
            <translation>编码类型</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="79" />
            <source>Validated codes</source>
            <translation>校验结果</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="80" />
            <source>Valid codes</source>
            <translation>有效编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="81" />
            <source>Invalid codes</source>
            <translation>无效编码</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="92" />
            <source>The input has no field named '{}'</source>
            <translation>输入图层没有名为“{}”的字段</translation>
        </message>
        <message>
            <location filename="plugin/processing/validate_codes.py" line="136" />
            <source>Valid: {}, invalid: {}</source>
            <translation>有效：{}，无效：{}</translation>
        </message>
    </context>
</TS>